import DurableIO

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
    var text = ""
    for entry in entries {
      text += HistoryFile.encode(entry) + "\n"
    }
    do {
      try DurableFile.append(
        Array(text.utf8), to: path, header: Array((HistoryFile.header + "\n").utf8),
        permissions: 0o600, sync: false)
      try trim()
      return nil
    } catch {
      return .historyNotSaved(path: path, reason: error.reason)
    }
  }

  /// Rewrites the file (atomically) with only the newest `limit` entries when it holds more.
  private func trim() throws(DurableFileError) {
    let contents = try DurableFile.read(path)
    var lines = contents.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
    if lines.last?.isEmpty == true {
      lines.removeLast()
    }
    let entryCount = lines.count - 1  // the header is not an entry
    if entryCount <= limit {
      return
    }
    var kept = Array(HistoryFile.header.utf8) + [UInt8(ascii: "\n")]
    for line in lines.suffix(max(limit, 0)) {
      kept += line
      kept.append(UInt8(ascii: "\n"))
    }
    try DurableFile.write(kept, to: path, permissions: 0o600)
  }
}
