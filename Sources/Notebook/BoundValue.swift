/// A value a cell bound, as the session stores it: the variable, its type, its content hash,
/// and the blob that holds its archive.
///
/// JSON: `{"name": "m", "type": "Model", "hash": "9ae1…", "blob": "9ae1…", "size": 273412}`.
/// `hash` is ``CommandRuntime/Value/contentHash()`` (what `bindingHashes` hold); `blob` names
/// the file `<session>.blobs/<blob>`, the ``DurableIO/ContentHash`` of its bytes (the two
/// are equal for every value that hashes its archive). A value that could not be archived has
/// no blob and says why in `problem`; resuming skips it with a warning.
public struct BoundValue: Hashable, Sendable, Codable {
  /// The variable name.
  public var name: String
  /// The value's type as written by `ValueType.description` (`Model`, `List of Criterion`).
  public var type: String
  /// The value's content hash.
  public var hash: String
  /// The blob's name (the hash of its bytes), or nil when the value could not be archived.
  public internal(set) var blob: String?
  /// The blob's size in bytes.
  public var size: Int?
  /// Why there is no blob.
  public internal(set) var problem: String?

  /// Creates a record of a bound value.
  public init(
    name: String, type: String, hash: String, blob: String?, size: Int? = nil,
    problem: String? = nil
  ) {
    self.name = name
    self.type = type
    self.hash = hash
    self.blob = blob
    self.size = size
    self.problem = problem
  }
}
