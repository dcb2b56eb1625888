import DurableIO
import Foundation

/// Reading and writing session files: `NAME.json` with its blobs in `NAME.blobs/`.
///
/// Reading checks, in order: that the file can be read, that its JSON is complete (a truncated
/// file is reported as such), valid, and a Shears session, that its format version is one
/// this build reads (a newer one is refused before anything else is decoded), and that every
/// field decodes. A journal (see ``Journal``) is recognised by its first line and rebuilt into
/// a session. Writing copies the blobs first, then replaces the JSON atomically.
///
/// ```swift
/// let session = try SessionFile.load("lesson.json")
/// try SessionFile.save(session, to: "copy.json", blobsFrom: BlobStore(folder: "lesson.blobs"))
/// ```
public enum SessionFile {
  /// A loaded session and where its blobs are.
  public struct Loaded: Sendable {
    /// The session.
    public var session: Session
    /// Its blob folder.
    public internal(set) var blobs: BlobStore
    /// Whether it was rebuilt from a journal.
    public internal(set) var fromJournal: Bool
    /// Whether a journal's last line was cut short (a write interrupted by a kill) and
    /// left out.
    public internal(set) var droppedTornLine: Bool
  }

  /// Loads the session or journal at `path`.
  public static func load(_ path: String) throws -> Loaded {
    let bytes = try NotebookError.translating { try DurableFile.read(path) }
    let blobs = BlobStore(folder: BlobStore.folder(for: path))
    if Journal.isJournal(bytes) {
      let rebuilt = try Journal.rebuild(bytes, path: path)
      return Loaded(
        session: rebuilt.session, blobs: blobs, fromJournal: true,
        droppedTornLine: rebuilt.droppedTornLine)
    }
    return Loaded(
      session: try decode(bytes, path: path), blobs: blobs, fromJournal: false,
      droppedTornLine: false)
  }

  /// Decodes a session file's bytes; `path` names it in errors.
  public static func decode(_ bytes: [UInt8], path: String) throws -> Session {
    let object = try jsonObject(bytes, path: path)
    try checkFormat(object, path: path)
    return try decodeFields(Session.self, from: bytes, path: path)
  }

  /// Encodes a session as pretty-printed JSON with sorted keys and a final newline.
  public static func encode(_ session: Session) throws -> [UInt8] {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
    return Array(try encoder.encode(session)) + [UInt8(ascii: "\n")]
  }

  /// Writes `session` to `path` (blobs into `path`'s blob folder, then the JSON atomically).
  ///
  /// Blobs come from `memory` (hash → bytes) or else from `source`. An existing `path` is
  /// replaced only when `overwrite` is true; on any failure the file that was there is intact.
  public static func save(
    _ session: Session, to path: String, blobsFrom source: BlobStore?,
    memory: [String: [UInt8]] = [:], overwrite: Bool = false
  ) throws {
    if !overwrite && FileManager.default.fileExists(atPath: path) {
      throw NotebookError.exists(path: path)
    }
    let bytes = try encode(session)
    let target = BlobStore(folder: BlobStore.folder(for: path))
    for binding in session.allBindings {
      guard let hash = binding.value.blob else { continue }
      if let stored = memory[hash] {
        try target.put(stored, hash: hash)
      } else if let source {
        try target.copy(hash, from: source, binding: binding.value.name, cell: binding.cell)
      } else {
        throw NotebookError.missingBlob(
          hash: hash, binding: binding.value.name, cell: binding.cell, folder: "memory")
      }
    }
    try NotebookError.translating { try DurableFile.write(bytes, to: path) }
  }

  // MARK: - Checks shared with the journal

  /// Parses `bytes` as one JSON object, telling truncation from other damage.
  static func jsonObject(_ bytes: [UInt8], path: String) throws -> [String: Any] {
    switch JSONShape.of(bytes) {
    case .empty:
      throw NotebookError.truncated(path: path, size: bytes.count)
    case .open:
      throw NotebookError.truncated(path: path, size: bytes.count)
    case .mismatched(let offset):
      throw NotebookError.invalidJSON(
        path: path, offset: offset, detail: "a closing bracket does not match its opening one")
    case .closed:
      break
    }
    let parsed: Any
    do {
      parsed = try JSONSerialization.jsonObject(with: Data(bytes))
    } catch {
      throw NotebookError.invalidJSON(path: path, offset: nil, detail: describe(error))
    }
    guard let object = parsed as? [String: Any] else {
      throw NotebookError.notASession(path: path, detail: "its JSON is not an object")
    }
    return object
  }

  /// Checks the `format` field: a Shears session in a version this build reads.
  static func checkFormat(_ object: [String: Any], path: String) throws {
    guard let value = object["format"] else {
      throw NotebookError.notASession(path: path, detail: "it has no \"format\" field")
    }
    guard let text = value as? String, let format = SessionFormat(parsing: text) else {
      throw NotebookError.notASession(
        path: path,
        detail: "its format is \(value), not \(SessionFormat.name)/N")
    }
    if format.version > SessionFormat.current.version {
      throw NotebookError.futureFormat(
        path: path, found: format.version, supported: SessionFormat.current.version)
    }
    if format.version < 1 {
      throw NotebookError.notASession(path: path, detail: "format version \(format.version)")
    }
    if format.version < SessionFormat.oldestReadable.version {
      throw NotebookError.pastFormat(
        path: path, found: format.version, supported: SessionFormat.oldestReadable.version)
    }
  }

  /// Decodes `T` from `bytes`, naming the field that is wrong.
  static func decodeFields<T: Decodable>(_ type: T.Type, from bytes: [UInt8], path: String)
    throws -> T
  {
    do {
      return try JSONDecoder().decode(type, from: Data(bytes))
    } catch let error as DecodingError {
      throw NotebookError.invalidSession(path: path, detail: describe(error))
    } catch {
      throw NotebookError.invalidSession(path: path, detail: "\(error)")
    }
  }

  /// A decoding error as `cells[2].figures: <what>`.
  static func describe(_ error: DecodingError) -> String {
    func place(_ path: [any CodingKey]) -> String {
      var text = ""
      for key in path {
        if let index = key.intValue {
          text += "[\(index)]"
        } else {
          text += (text.isEmpty ? "" : ".") + key.stringValue
        }
      }
      return text.isEmpty ? "the top level" : text
    }
    switch error {
    case .keyNotFound(let key, let context):
      let parent = place(context.codingPath)
      return "\(parent) has no \"\(key.stringValue)\" field"
    case .typeMismatch(let type, let context):
      return "\(place(context.codingPath)) is not a \(type): \(context.debugDescription)"
    case .valueNotFound(let type, let context):
      return "\(place(context.codingPath)) is null where a \(type) belongs"
    case .dataCorrupted(let context):
      return "\(place(context.codingPath)): \(context.debugDescription)"
    @unknown default:
      return "\(error)"
    }
  }

  /// A JSON parser error's own explanation.
  static func describe(_ error: any Error) -> String {
    let nsError = error as NSError
    if let debug = nsError.userInfo[NSDebugDescriptionErrorKey] as? String { return debug }
    return nsError.localizedDescription
  }
}
