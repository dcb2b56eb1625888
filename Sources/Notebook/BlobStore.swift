import CommandRuntime
import DurableIO
import Foundation

/// The blob folder of a session: one file per archived value, named by the
/// ``DurableIO/ContentHash`` of its bytes, beside the session (`lesson.json` and
/// `lesson.journal` both keep theirs in `lesson.blobs/`).
///
/// Blobs are written atomically and never changed; reading one checks that its bytes still
/// hash to its name.
///
/// ```swift
/// let store = BlobStore(folder: BlobStore.folder(for: "lesson.json"))  // lesson.blobs
/// let name = try store.put(bytes)
/// let same = try store.read(name, binding: "m", cell: 3)
/// ```
public struct BlobStore: Sendable {
  /// The folder path.
  public internal(set) var folder: String

  /// A store in `folder` (created when the first blob is written).
  public init(folder: String) {
    self.folder = folder
  }

  /// The blob folder of a session or journal file: its path without the extension `.json` or
  /// `.journal`, plus `.blobs`.
  public static func folder(for sessionPath: String) -> String {
    var base = sessionPath
    for suffix in [".json", ".journal"] where base.hasSuffix(suffix) {
      base.removeLast(suffix.count)
      break
    }
    return base + ".blobs"
  }

  /// The path of blob `hash`.
  public func path(of hash: String) -> String { folder + "/" + hash }

  /// Whether blob `hash` exists.
  public func contains(_ hash: String) -> Bool {
    FileManager.default.fileExists(atPath: path(of: hash))
  }

  /// Stores `bytes` (unless a blob of the same name and size is there) and returns its name.
  @discardableResult
  public func put(_ bytes: [UInt8]) throws -> String {
    let hash = ContentHash.hex(bytes)
    try put(bytes, hash: hash)
    return hash
  }

  /// Stores `bytes` under `hash`, which must be their hash.
  func put(_ bytes: [UInt8], hash: String) throws {
    let target = path(of: hash)
    if let attributes = try? FileManager.default.attributesOfItem(atPath: target),
      (attributes[.size] as? NSNumber)?.intValue == bytes.count
    {
      return
    }
    try NotebookError.translating { try DurableFile.makeDirectory(folder) }
    try NotebookError.translating { try DurableFile.write(bytes, to: target) }
  }

  /// The bytes of blob `hash`, checked against their name; `binding` and `cell` name the
  /// binding that needs it in the errors.
  public func read(_ hash: String, binding: String, cell: Int) throws -> [UInt8] {
    let target = path(of: hash)
    guard FileManager.default.fileExists(atPath: target),
      let data = FileManager.default.contents(atPath: target)
    else {
      throw NotebookError.missingBlob(hash: hash, binding: binding, cell: cell, folder: folder)
    }
    let bytes = Array(data)
    let actual = ContentHash.hex(bytes)
    guard actual == hash else {
      throw NotebookError.blobHashMismatch(
        hash: hash, actual: actual, binding: binding, cell: cell, folder: folder)
    }
    return bytes
  }

  /// Checks that every blob of `session` is present and intact.
  public func verify(_ session: Session) throws {
    var checked: Set<String> = []
    for binding in session.allBindings {
      guard let hash = binding.value.blob, checked.insert(hash).inserted else { continue }
      _ = try read(hash, binding: binding.value.name, cell: binding.cell)
    }
  }

  /// Copies blob `hash` from `source` (a hard link where possible), checking it; nothing is
  /// done when this store already holds it or the two stores are the same folder.
  public func copy(_ hash: String, from source: BlobStore, binding: String, cell: Int) throws {
    if source.folder == folder || contains(hash) { return }
    let bytes = try source.read(hash, binding: binding, cell: cell)
    try NotebookError.translating { try DurableFile.makeDirectory(folder) }
    if link(source.path(of: hash), path(of: hash)) == 0 {
      DurableFile.syncDirectory(folder)
      return
    }
    try put(bytes, hash: hash)
  }
}
