#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Small file-system helpers over the C library: whole-file reads with typed errors.
enum FileSystem {
  /// `directory` and `name` joined by one slash.
  static func join(_ directory: String, _ name: String) -> String {
    if directory.isEmpty { return name }
    return directory.hasSuffix("/") ? directory + name : directory + "/" + name
  }

  /// Whether something exists at `path`.
  static func exists(_ path: String) -> Bool {
    var info = stat()
    return stat(path, &info) == 0
  }

  /// Whether `path` is a directory.
  static func isDirectory(_ path: String) -> Bool {
    var info = stat()
    return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
  }

  /// The whole file at `path`, as raw bytes.
  static func readAll(_ path: String) throws(DatasetError) -> [UInt8] {
    let fd = open(path, O_RDONLY)
    if fd < 0 {
      let code = errno
      if code == ENOENT || code == ENOTDIR { throw .fileNotFound(path: path) }
      throw .unreadable(path: path, reason: message(for: code))
    }
    defer { close(fd) }
    var info = stat()
    guard fstat(fd, &info) == 0 else {
      throw .unreadable(path: path, reason: message(for: errno))
    }
    if (info.st_mode & S_IFMT) == S_IFDIR {
      throw .unreadable(path: path, reason: "it is a directory")
    }
    let size = Int(info.st_size)
    var bytes = [UInt8](repeating: 0, count: size)
    var filled = 0
    var failure: Int32 = 0
    bytes.withUnsafeMutableBytes { buffer in
      while filled < size {
        let n = read(fd, buffer.baseAddress! + filled, size - filled)
        if n < 0 {
          if errno == EINTR { continue }
          failure = errno
          return
        }
        if n == 0 { break }
        filled += n
      }
    }
    if failure != 0 { throw .unreadable(path: path, reason: message(for: failure)) }
    if filled < size { bytes.removeLast(size - filled) }
    return bytes
  }

  private static func message(for code: Int32) -> String {
    guard let text = strerror(code) else { return "errno \(code)" }
    return String(cString: text)
  }
}
