import Glibc

/// Files written so that a crash never leaves half of one, and read whole with a size cap.
///
/// A write goes to a new temporary file beside the target (`.<name>.tmp-<pid>-<n>`, created
/// exclusively), writes every byte (retrying after signals and partial writes), is flushed to
/// disk (`fsync`), renamed over the target in one step and the directory flushed. On failure
/// the temporary file is removed and the target is exactly as it was. With `ifExists: .refuse`
/// an existing target is never replaced, even if it appears while the file is being written.
///
/// ```swift
/// try DurableFile.write(Array("{}".utf8), to: "runs/s.json")  // the old s.json or the new one
/// try DurableFile.write(csv, to: "scores.csv", ifExists: .refuse)  // never overwrites
/// let bytes = try DurableFile.read("runs/s.json", limit: 1 << 20)
/// ```
public enum DurableFile {
  /// What to do when the target of a write already exists.
  public enum IfExists: Sendable {
    /// Replace it atomically.
    case replace
    /// Leave it and throw ``DurableFileError/alreadyExists(path:)``.
    case refuse
  }

  /// The most bytes ``read(_:limit:)`` accepts unless told otherwise (4 GiB).
  public static let defaultReadLimit = 1 << 32

  /// Writes `bytes` to `path` atomically (see the type's documentation). The new file gets
  /// `permissions` less the umask.
  /// - Throws: ``DurableFileError/cannotWrite(path:reason:)`` naming the step and the system's
  ///   reason, or ``DurableFileError/alreadyExists(path:)`` when refusing.
  public static func write(
    _ bytes: [UInt8], to path: String, ifExists: IfExists = .replace,
    permissions: mode_t = 0o644
  ) throws(DurableFileError) {
    let (directory, name) = split(path)
    guard !name.isEmpty, name != ".", name != ".." else {
      throw .cannotWrite(path: path, reason: "the path does not name a file")
    }
    if ifExists == .refuse, exists(path) { throw .alreadyExists(path: path) }
    let (fd, temporary) = try createTemporary(
      directory: directory, name: name, permissions: permissions, path: path)
    var failure: String? = nil
    if let code = bytes.withUnsafeBytes({ writeAll($0, using: { Glibc.write(fd, $0, $1) }) }) {
      failure = "writing failed: \(DurableFileError.explain(code))"
    }
    if failure == nil, fsync(fd) != 0 {
      failure = "flushing to disk failed: \(DurableFileError.explain(errno))"
    }
    if close(fd) != 0, failure == nil {
      failure = "closing failed: \(DurableFileError.explain(errno))"
    }
    if let failure {
      unlink(temporary)
      throw .cannotWrite(path: path, reason: failure)
    }
    switch ifExists {
    case .replace:
      if rename(temporary, path) != 0 {
        let code = errno
        unlink(temporary)
        throw .cannotWrite(
          path: path,
          reason: "renaming the temporary file over it failed: \(DurableFileError.explain(code))")
      }
    case .refuse:
      try placeWithoutReplacing(temporary, at: path)
    }
    try syncDirectory(directory, after: path)
  }

  /// Writes `text` as UTF-8 to `path` atomically; see ``write(_:to:ifExists:permissions:)``.
  public static func write(
    _ text: String, to path: String, ifExists: IfExists = .replace, permissions: mode_t = 0o644
  ) throws(DurableFileError) {
    try write(Array(text.utf8), to: path, ifExists: ifExists, permissions: permissions)
  }

  /// Appends `bytes` to `path` with one `O_APPEND` write loop, creating the file (with
  /// `header` first) when it is missing or empty, then flushes it to disk when `sync` is set.
  public static func append(
    _ bytes: [UInt8], to path: String, header: [UInt8] = [], permissions: mode_t = 0o644,
    sync: Bool = true
  ) throws(DurableFileError) {
    let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, permissions)
    guard fd >= 0 else { throw openFailure(errno, path: path, writing: true) }
    defer { close(fd) }
    var info = stat()
    guard fstat(fd, &info) == 0 else {
      throw .cannotWrite(path: path, reason: DurableFileError.explain(errno))
    }
    let all = info.st_size == 0 ? header + bytes : bytes
    if let code = all.withUnsafeBytes({ writeAll($0, using: { Glibc.write(fd, $0, $1) }) }) {
      throw .cannotWrite(path: path, reason: "appending failed: \(DurableFileError.explain(code))")
    }
    if sync, fsync(fd) != 0 {
      throw .cannotWrite(
        path: path, reason: "flushing to disk failed: \(DurableFileError.explain(errno))")
    }
  }

  /// The whole file at `path`, retrying reads interrupted by signals.
  /// - Throws: ``DurableFileError/notFound(path:)``, ``DurableFileError/isDirectory(path:)``,
  ///   ``DurableFileError/tooLarge(path:size:limit:)`` beyond `limit` bytes, or
  ///   ``DurableFileError/cannotRead(path:reason:)``.
  public static func read(_ path: String, limit: Int = defaultReadLimit) throws(DurableFileError)
    -> [UInt8]
  {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { throw openFailure(errno, path: path, writing: false) }
    defer { close(fd) }
    var info = stat()
    guard fstat(fd, &info) == 0 else {
      throw .cannotRead(path: path, reason: DurableFileError.explain(errno))
    }
    if (info.st_mode & S_IFMT) == S_IFDIR { throw .isDirectory(path: path) }
    switch readAll(sizeHint: Int(info.st_size), limit: limit, using: { Glibc.read(fd, $0, $1) }) {
    case .bytes(let bytes): return bytes
    case .failed(let code):
      throw .cannotRead(path: path, reason: DurableFileError.explain(code))
    case .tooLarge(let size): throw .tooLarge(path: path, size: size, limit: limit)
    }
  }

  /// Whether something (a file, a directory, a link) exists at `path`.
  public static func exists(_ path: String) -> Bool {
    var info = stat()
    return lstat(path, &info) == 0
  }

  /// Creates the directory `path` and its missing parents (`permissions` less the umask), then
  /// flushes the parent's entry to disk. An existing directory is fine; a file is not
  /// (``DurableFileError/notADirectory(path:)`` names the one in the way).
  public static func makeDirectory(_ path: String, permissions: mode_t = 0o755)
    throws(DurableFileError)
  {
    guard !path.isEmpty else { return }
    var prefix = path.hasPrefix("/") ? "/" : ""
    for component in path.split(separator: "/") {
      prefix += component
      if mkdir(prefix, permissions) != 0 {
        let code = errno
        var info = stat()
        guard stat(prefix, &info) == 0 else {
          throw .cannotWrite(
            path: path,
            reason: "cannot create the directory '\(prefix)': \(DurableFileError.explain(code))")
        }
        guard (info.st_mode & S_IFMT) == S_IFDIR else { throw .notADirectory(path: prefix) }
      }
      prefix += "/"
    }
    try? syncDirectory(split(path).directory, after: path)
  }

  /// Flushes a directory's entries (a rename or a new file in it) to disk, best effort.
  public static func syncDirectory(_ path: String) {
    try? syncDirectory(path.isEmpty ? "." : path, after: path)
  }

  // MARK: - Steps

  /// The directory (`.` when none) and the last component of `path`.
  static func split(_ path: String) -> (directory: String, name: String) {
    guard let slash = path.lastIndex(of: "/") else { return (".", path) }
    let directory = String(path[..<slash])
    return (directory.isEmpty ? "/" : directory, String(path[path.index(after: slash)...]))
  }

  private static func createTemporary(
    directory: String, name: String, permissions: mode_t, path: String
  ) throws(DurableFileError) -> (Int32, String) {
    let stem = (directory == "/" ? "/" : directory + "/") + "." + name + ".tmp-\(getpid())-"
    for attempt in 0..<1000 {
      let temporary = stem + "\(attempt)"
      let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, permissions)
      if fd >= 0 { return (fd, temporary) }
      let code = errno
      if code == EEXIST { continue }
      if code == ENOENT || code == ENOTDIR {
        throw .cannotWrite(path: path, reason: "the directory '\(directory)' does not exist")
      }
      throw .cannotWrite(
        path: path,
        reason: "cannot create a file in the directory '\(directory)': "
          + DurableFileError.explain(code))
    }
    throw .cannotWrite(
      path: path, reason: "cannot create a temporary file in the directory '\(directory)'")
  }

  /// Links `temporary` at `path` only if nothing is there (atomic), then removes `temporary`.
  private static func placeWithoutReplacing(_ temporary: String, at path: String)
    throws(DurableFileError)
  {
    defer { unlink(temporary) }
    if link(temporary, path) == 0 { return }
    let code = errno
    if code == EEXIST { throw .alreadyExists(path: path) }
    // File systems without hard links: check, then rename (a small window, documented).
    guard code == EPERM || code == ENOTSUP || code == EOPNOTSUPP else {
      throw .cannotWrite(
        path: path, reason: "placing the new file failed: \(DurableFileError.explain(code))")
    }
    if exists(path) { throw .alreadyExists(path: path) }
    if rename(temporary, path) != 0 {
      throw .cannotWrite(
        path: path, reason: "placing the new file failed: \(DurableFileError.explain(errno))")
    }
  }

  /// Flushes `directory`; a failure other than "not supported" means the rename of `path`
  /// may not survive a power failure, and is reported.
  private static func syncDirectory(_ directory: String, after path: String)
    throws(DurableFileError)
  {
    let fd = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    guard fd >= 0 else { return }  // some systems refuse to open directories; the rename stands
    defer { close(fd) }
    guard fsync(fd) != 0 else { return }
    let code = errno
    if code == EINVAL || code == ENOTSUP || code == EROFS || code == EBADF { return }
    throw .cannotWrite(
      path: path,
      reason:
        "it was written, but flushing its directory failed (\(DurableFileError.explain(code)))"
        + "; it may not survive a power failure")
  }

  private static func openFailure(_ code: Int32, path: String, writing: Bool) -> DurableFileError {
    if !writing, code == ENOENT || code == ENOTDIR { return .notFound(path: path) }
    if code == EISDIR { return .isDirectory(path: path) }
    let reason = DurableFileError.explain(code)
    return writing
      ? .cannotWrite(path: path, reason: reason) : .cannotRead(path: path, reason: reason)
  }

  // MARK: - Loops (system calls injected, so tests can interrupt them)

  /// Writes every byte of `buffer` through `write` (a `write(2)` on some descriptor), going on
  /// after partial writes and `EINTR`; returns `errno` of a failure, `nil` on success.
  static func writeAll(
    _ buffer: UnsafeRawBufferPointer, using write: (UnsafeRawPointer, Int) -> Int
  ) -> Int32? {
    guard let base = buffer.baseAddress else { return nil }
    var offset = 0
    while offset < buffer.count {
      let n = write(base + offset, buffer.count - offset)
      if n < 0 {
        let code = errno
        if code == EINTR { continue }
        return code
      }
      if n == 0 { return EIO }  // a zero-byte write of a non-empty buffer would loop forever
      offset += n
    }
    return nil
  }

  /// What ``readAll(sizeHint:limit:using:)`` found.
  enum ReadOutcome: Equatable {
    case bytes([UInt8])
    case failed(Int32)
    case tooLarge(Int)
  }

  /// Reads through `read` (a `read(2)` on some descriptor) until end of file, going on after
  /// `EINTR` and short reads; `sizeHint` (the size `fstat` gave) sizes the first buffer, and
  /// the file may turn out shorter or longer. More than `limit` bytes is ``ReadOutcome/tooLarge(_:)``.
  static func readAll(
    sizeHint: Int, limit: Int, using read: (UnsafeMutableRawPointer, Int) -> Int
  ) -> ReadOutcome {
    if sizeHint > limit { return .tooLarge(sizeHint) }
    var bytes = [UInt8](repeating: 0, count: max(sizeHint, 0) + 1)  // + 1 to see the end
    var filled = 0
    while true {
      if filled == bytes.count {
        if filled > limit { return .tooLarge(filled) }
        let grown = min(max(bytes.count * 2, 1 << 16), limit == Int.max ? limit : limit + 1)
        bytes += [UInt8](repeating: 0, count: max(grown - bytes.count, 1))
      }
      // `bytes` always holds at least one byte (`+ 1` above, and it only grows).
      let n = bytes.withUnsafeMutableBytes { read($0.baseAddress! + filled, $0.count - filled) }
      if n < 0 {
        let code = errno
        if code == EINTR { continue }
        return .failed(code)
      }
      if n == 0 { break }
      filled += n
    }
    if filled > limit { return .tooLarge(filled) }
    bytes.removeLast(bytes.count - filled)
    return .bytes(bytes)
  }
}
