import DurableIO

/// A file of a job folder named by its path relative to the folder, with the content hash
/// (``DurableIO/ContentHash``) and size of its bytes, so a reader can tell it is the file the
/// writer meant.
public struct HashedFile: Codable, Sendable, Equatable {
  /// Path relative to the job folder.
  public var path: String
  /// FNV-1a-64 of the bytes, 16 hex digits.
  public var hash: String
  /// Size in bytes.
  public var bytes: Int

  /// The record of `bytes` stored at `path`.
  public init(path: String, contents: [UInt8]) {
    self.path = path
    hash = ContentHash.hex(contents)
    bytes = contents.count
  }

  /// Reads the file under `folder` and checks its size and hash.
  /// - Throws: ``ClusterError/damaged(path:problem:)`` naming the file.
  public func read(in folder: String) throws(ClusterError) -> [UInt8] {
    let full = folder + "/" + path
    let contents: [UInt8]
    do {
      contents = try DurableFile.read(full, limit: bytes + 1)
    } catch {
      throw .damaged(path: full, problem: "\(error)")
    }
    guard contents.count == bytes else {
      throw .damaged(
        path: full, problem: "it has \(contents.count) bytes, the manifest says \(bytes)")
    }
    let actual = ContentHash.hex(contents)
    guard actual == hash else {
      throw .damaged(
        path: full, problem: "its content hash is \(actual), the manifest says \(hash)")
    }
    return contents
  }
}
