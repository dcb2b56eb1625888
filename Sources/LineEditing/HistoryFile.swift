import Glibc

/// The history file on disk, in libedit's format, appended to by this process.
///
/// libedit's own `append_history` writes one entry too many and its `history_truncate_file`
/// drops the `_HiStOrY_V2_` header (both measured with libedit 3.1-20221030), so lines are
/// appended and the file is trimmed here; loading stays with libedit's `read_history`.
///
/// Format: the first line is `_HiStOrY_V2_`; each entry is one line in which white space,
/// other control bytes and the backslash are written as three-digit octal escapes (`\040` for a
/// space, `\012` for a newline, `\134` for a backslash) and all other bytes, UTF-8 included, as
/// they are. libedit's reader (`strunvis`) decodes exactly this.
struct HistoryFile {
  /// The first line of every libedit history file.
  static let header = "_HiStOrY_V2_"

  /// Where the file lives.
  let path: String
  /// The most entries the file keeps; older ones are dropped when appending.
  let limit: Int

  /// One history entry as libedit stores it on a line of its own.
  static func encode(_ entry: String) -> String {
    var encoded: [UInt8] = []
    encoded.reserveCapacity(entry.utf8.count)
    for byte in entry.utf8 {
      if byte <= 0x20 || byte == 0x7f || byte == UInt8(ascii: "\\") {
        encoded.append(UInt8(ascii: "\\"))
        encoded.append(UInt8(ascii: "0") + (byte >> 6))
        encoded.append(UInt8(ascii: "0") + ((byte >> 3) & 7))
        encoded.append(UInt8(ascii: "0") + (byte & 7))
      } else {
        encoded.append(byte)
      }
    }
    return String(decoding: encoded, as: UTF8.self)
  }

  /// Appends `entries` (creating the file, mode 0600, with its header if it is missing or
  /// empty), then keeps only the newest `limit` entries.
  ///
  /// - Returns: `nil` on success, otherwise the reason the file could not be written.
  func append(_ entries: [String]) -> LineEditingWarning? {
    if entries.isEmpty {
      return nil
    }
    let descriptor = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
    if descriptor < 0 {
      return failure(errno)
    }
    var status = stat()
    if fstat(descriptor, &status) != 0 {
      let error = errno
      close(descriptor)
      return failure(error)
    }
    var text = status.st_size == 0 ? HistoryFile.header + "\n" : ""
    for entry in entries {
      text += HistoryFile.encode(entry) + "\n"
    }
    let written = HistoryFile.writeAll(descriptor, Array(text.utf8))
    let closed = close(descriptor) == 0 ? 0 : errno
    if let error = written ?? (closed == 0 ? nil : closed) {
      return failure(error)
    }
    return trim()
  }

  /// Rewrites the file with only the newest `limit` entries when it holds more.
  private func trim() -> LineEditingWarning? {
    let contents: [UInt8]
    switch HistoryFile.readAll(path) {
    case .success(let bytes): contents = bytes
    case .failure(let error): return failure(error.code)
    }
    var lines = contents.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
    if lines.last?.isEmpty == true {
      lines.removeLast()
    }
    let entryCount = lines.count - 1  // the header is not an entry
    if entryCount <= limit {
      return nil
    }
    var kept = Array(HistoryFile.header.utf8) + [UInt8(ascii: "\n")]
    for line in lines.suffix(max(limit, 0)) {
      kept += line
      kept.append(UInt8(ascii: "\n"))
    }
    let temporary = "\(path).tmp-\(getpid())"
    let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
    if descriptor < 0 {
      return failure(errno)
    }
    let written = HistoryFile.writeAll(descriptor, kept)
    let closed = close(descriptor) == 0 ? 0 : errno
    if let error = written ?? (closed == 0 ? nil : closed) {
      unlink(temporary)
      return failure(error)
    }
    if rename(temporary, path) != 0 {
      let error = errno
      unlink(temporary)
      return failure(error)
    }
    return nil
  }

  private func failure(_ error: Int32) -> LineEditingWarning {
    .historyNotSaved(path: path, reason: String(cString: strerror(error)))
  }

  /// Writes all of `bytes`, retrying after signals; returns the errno of a failure.
  private static func writeAll(_ descriptor: Int32, _ bytes: [UInt8]) -> Int32? {
    var offset = 0
    while offset < bytes.count {
      let count = bytes[offset...].withUnsafeBytes {
        write(descriptor, $0.baseAddress, $0.count)
      }
      if count < 0 {
        if errno == EINTR {
          continue
        }
        return errno
      }
      offset += count
    }
    return nil
  }

  /// The whole file, or the errno of the failure.
  private static func readAll(_ path: String) -> Result<[UInt8], SystemError> {
    let descriptor = open(path, O_RDONLY | O_CLOEXEC)
    if descriptor < 0 {
      return .failure(SystemError(code: errno))
    }
    defer { close(descriptor) }
    var contents: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 65536)
    while true {
      let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
      if count > 0 {
        contents += chunk[0..<count]
      } else if count == 0 {
        return .success(contents)
      } else if errno != EINTR {
        return .failure(SystemError(code: errno))
      }
    }
  }

  /// An errno value carried through `Result`.
  struct SystemError: Error {
    let code: Int32
  }
}
