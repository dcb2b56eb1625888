import Foundation

/// Writes to the standard streams directly (no stdio buffering), so output, errors and
/// progress redraws appear in the order they are written.
enum Console {
  /// Writes `text` to standard output as is.
  static func write(_ text: String) {
    FileHandle.standardOutput.write(Data(text.utf8))
  }

  /// Writes `text` and a newline to standard output.
  static func line(_ text: String) { write(text + "\n") }

  /// Writes `text` and a newline to standard error.
  static func error(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
  }
}
