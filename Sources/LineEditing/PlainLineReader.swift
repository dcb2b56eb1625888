import Glibc

/// Reads lines from a file descriptor that is not a terminal (a pipe, a file, CI input).
///
/// It shows no prompt, writes no escape codes, keeps no history, and strips the line ending
/// (`\n` or `\r\n`). A last line without a newline is still returned. Invalid UTF-8 is
/// replaced with U+FFFD.
///
/// ```swift
/// var reader = PlainLineReader()  // standard input
/// while case .line(let text) = reader.readLine(prompt: "ignored> ") { print(text) }
/// ```
public struct PlainLineReader: LineReader {
  /// The descriptor lines are read from (not closed by the reader).
  let fileDescriptor: Int32
  private var buffer: [UInt8] = []
  private var start = 0
  private var reachedEnd = false

  /// A reader of `fileDescriptor` (standard input by default).
  public init(fileDescriptor: Int32 = STDIN_FILENO) {
    self.fileDescriptor = fileDescriptor
  }

  public var startupWarnings: [LineEditingWarning] { [] }

  /// Returns the next line; `prompt` is ignored. Reads interrupted by a signal are retried.
  public mutating func readLine(prompt: String) -> LineReadResult {
    while true {
      if let newline = buffer[start...].firstIndex(of: UInt8(ascii: "\n")) {
        var end = newline
        if end > start && buffer[end - 1] == UInt8(ascii: "\r") {
          end -= 1
        }
        let text = String(decoding: buffer[start..<end], as: UTF8.self)
        start = newline + 1
        compact()
        return .line(text)
      }
      if reachedEnd {
        guard start < buffer.count else { return .endOfInput }
        let text = String(decoding: buffer[start...], as: UTF8.self)
        start = buffer.count
        compact()
        return .line(text)
      }
      fill()
    }
  }

  /// Does nothing: piped input has no interactive recall.
  public mutating func addHistory(_ line: String) {}

  /// Does nothing and returns `nil`: piped input is not recorded in the history file.
  public mutating func saveHistory() -> LineEditingWarning? { nil }

  /// Appends the next chunk of input to the buffer, or marks the end of input.
  private mutating func fill() {
    var chunk = [UInt8](repeating: 0, count: 4096)
    while true {
      let count = chunk.withUnsafeMutableBytes { read(fileDescriptor, $0.baseAddress, $0.count) }
      if count > 0 {
        buffer.append(contentsOf: chunk[0..<count])
        return
      }
      if count < 0 && errno == EINTR {
        continue
      }
      reachedEnd = true  // 0 is end of file; any other error ends the input too
      return
    }
  }

  /// Drops consumed bytes once they dominate the buffer.
  private mutating func compact() {
    if start > 4096 && start * 2 > buffer.count {
      buffer.removeSubrange(0..<start)
      start = 0
    }
  }
}
