import Foundation

/// Writing files so that a crash never leaves half of one: a whole file is written to a
/// temporary name beside it, flushed to disk (`fsync`), renamed over the target and the folder
/// flushed; a journal line is appended with one `write` and flushed.
///
/// ```swift
/// try DurableFile.write(Array("{}".utf8), to: "/tmp/s.json")  // the old s.json or the new one
/// ```
public enum DurableFile {
  /// Replaces (or creates) `path` with `bytes` atomically. On failure the file that was there
  /// is untouched and the temporary file is removed.
  public static func write(_ bytes: [UInt8], to path: String) throws {
    let url = URL(fileURLWithPath: path)
    let folder = url.deletingLastPathComponent().path
    let temporary =
      folder + "/." + url.lastPathComponent
      + ".tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
    guard fd >= 0 else { throw NotebookError.cannotWrite(path: path, reason: lastError()) }
    do {
      try writeAll(fd, bytes, path: path)
      guard fsync(fd) == 0 else { throw NotebookError.cannotWrite(path: path, reason: lastError()) }
      close(fd)
    } catch {
      close(fd)
      unlink(temporary)
      throw error
    }
    guard rename(temporary, path) == 0 else {
      let reason = lastError()
      unlink(temporary)
      throw NotebookError.cannotWrite(path: path, reason: reason)
    }
    syncFolder(folder)
  }

  /// Appends `bytes` to `path` (creating it) with one write, then flushes it to disk.
  public static func append(_ bytes: [UInt8], to path: String) throws {
    let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
    guard fd >= 0 else { throw NotebookError.cannotWrite(path: path, reason: lastError()) }
    defer { close(fd) }
    try writeAll(fd, bytes, path: path)
    guard fsync(fd) == 0 else { throw NotebookError.cannotWrite(path: path, reason: lastError()) }
  }

  /// Creates `path` and its parents as folders when missing.
  public static func makeFolder(_ path: String) throws {
    var isFolder: ObjCBool = false
    if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) {
      guard isFolder.boolValue else {
        throw NotebookError.cannotWrite(path: path, reason: "a file has that name")
      }
      return
    }
    do {
      try FileManager.default.createDirectory(
        atPath: path, withIntermediateDirectories: true)
    } catch {
      throw NotebookError.cannotWrite(path: path, reason: "cannot create the folder")
    }
    syncFolder(URL(fileURLWithPath: path).deletingLastPathComponent().path)
  }

  /// Reads the whole file at `path`.
  public static func read(_ path: String) throws -> [UInt8] {
    var isFolder: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
      throw NotebookError.unreadable(path: path, reason: "no such file")
    }
    if isFolder.boolValue { throw NotebookError.unreadable(path: path, reason: "it is a folder") }
    guard let data = FileManager.default.contents(atPath: path) else {
      throw NotebookError.unreadable(path: path, reason: "not readable")
    }
    return Array(data)
  }

  /// Flushes a folder's entries (a rename or a new file in it) to disk.
  static func syncFolder(_ path: String) {
    let fd = open(path.isEmpty ? "." : path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    guard fd >= 0 else { return }
    fsync(fd)
    close(fd)
  }

  private static func writeAll(_ fd: Int32, _ bytes: [UInt8], path: String) throws {
    var offset = 0
    while offset < bytes.count {
      let written = bytes[offset...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
      if written < 0 {
        if errno == EINTR { continue }
        throw NotebookError.cannotWrite(path: path, reason: lastError())
      }
      offset += written
    }
  }

  private static func lastError() -> String {
    String(cString: strerror(errno))
  }
}
