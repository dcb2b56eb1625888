import CommandRuntime

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

  private enum CodingKeys: String, CodingKey {
    case name, type, hash, blob, size, problem
  }

  /// Decodes a record, validating it: a variable name, a type a value can have, a 16-digit
  /// hash, a blob name of 16 hex digits (never a path), a size of at least 0.
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    func invalid(_ key: CodingKeys, _ message: String) -> DecodingError {
      DecodingError.dataCorruptedError(forKey: key, in: c, debugDescription: message)
    }
    name = try c.decode(String.self, forKey: .name)
    guard SessionValidation.isName(name) else {
      throw invalid(.name, "'\(name)' is not a variable name")
    }
    type = try c.decode(String.self, forKey: .type)
    guard ValueKinds.standard.boundType(named: type) != nil else {
      throw invalid(.type, "'\(type)' is not a type a bound value can have")
    }
    hash = try c.decode(String.self, forKey: .hash)
    guard SessionValidation.isHash(hash) else {
      throw invalid(.hash, "a hash is 16 hex digits, not '\(hash)'")
    }
    blob = try c.decodeIfPresent(String.self, forKey: .blob)
    if let blob, !SessionValidation.isHash(blob) {
      throw invalid(.blob, "a blob name is 16 hex digits, not '\(blob)'")
    }
    size = try c.decodeIfPresent(Int.self, forKey: .size)
    if let size, size < 0 { throw invalid(.size, "a size is at least 0, not \(size)") }
    problem = try c.decodeIfPresent(String.self, forKey: .problem)
  }
}
