import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Writes files so that a reader never sees a half-written one: the bytes go to a new
/// temporary file in the target's directory (`.<name>.tmp-<pid>-<n>`, created exclusively),
/// which is flushed to disk and then renamed over the target in one step (POSIX `rename`).
///
/// If anything fails, the temporary file is removed and the target is left exactly as it was
/// (absent, or with its old contents). The new file gets mode 0644 (less the umask); a
/// symbolic link at the target is replaced, not followed.
///
/// ```swift
/// try AtomicFileWriter.write(AnalysisCSV.similarity(sim), to: "out/similarity.csv")
/// ```
public enum AtomicFileWriter {
  /// Writes `text` as UTF-8 to `path`, atomically.
  /// - Throws: `AnalysisError.writeFailed` naming the path and the system's reason.
  public static func write(_ text: String, to path: String) throws(AnalysisError) {
    try write(Data(text.utf8), to: path)
  }

  /// Writes `data` to `path`, atomically.
  /// - Throws: `AnalysisError.writeFailed` naming the path and the system's reason (missing
  ///   directory, no permission, a directory in the way, a full disk).
  public static func write(_ data: Data, to path: String) throws(AnalysisError) {
    let (directory, name) = split(path)
    guard !name.isEmpty, name != ".", name != ".." else {
      throw .writeFailed(path: path, reason: "the path does not name a file")
    }
    for attempt in 0..<1000 {
      let temporary = directory + "/." + name + ".tmp-\(getpid())-\(attempt)"
      let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
      if fd < 0 {
        let code = errno
        if code == EEXIST { continue }
        throw .writeFailed(path: path, reason: reason(code))
      }
      if let code = writeAll(fd, data) {
        close(fd)
        unlink(temporary)
        throw .writeFailed(path: path, reason: reason(code))
      }
      if close(fd) != 0 {
        let code = errno
        unlink(temporary)
        throw .writeFailed(path: path, reason: reason(code))
      }
      if rename(temporary, path) != 0 {
        let code = errno
        unlink(temporary)
        throw .writeFailed(path: path, reason: reason(code))
      }
      syncDirectory(directory)
      return
    }
    throw .writeFailed(path: path, reason: "could not create a temporary file next to it")
  }

  /// The directory (`.` when none) and the last component of `path`.
  static func split(_ path: String) -> (directory: String, name: String) {
    guard let slash = path.lastIndex(of: "/") else { return (".", path) }
    let directory = String(path[..<slash])
    return (directory.isEmpty ? "/" : directory, String(path[path.index(after: slash)...]))
  }

  /// Writes every byte and flushes the file to disk; returns `errno` on failure.
  private static func writeAll(_ fd: Int32, _ data: Data) -> Int32? {
    let failure: Int32? = data.withUnsafeBytes { (buffer: UnsafeRawBufferPointer) -> Int32? in
      guard let base = buffer.baseAddress else { return nil }
      var offset = 0
      while offset < buffer.count {
        #if canImport(Glibc)
          let n = Glibc.write(fd, base + offset, buffer.count - offset)
        #else
          let n = Darwin.write(fd, base + offset, buffer.count - offset)
        #endif
        if n < 0 {
          if errno == EINTR { continue }
          return errno
        }
        offset += n
      }
      return nil
    }
    if let failure { return failure }
    return fsync(fd) == 0 ? nil : errno
  }

  /// Flushes the directory entry of the rename (best effort: some file systems refuse).
  private static func syncDirectory(_ directory: String) {
    let fd = open(directory, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { return }
    _ = fsync(fd)
    close(fd)
  }

  private static func reason(_ code: Int32) -> String {
    String(cString: strerror(code))
  }
}
