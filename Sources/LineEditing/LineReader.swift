/// A source of input lines for the shell: an interactive line editor or a plain stream.
///
/// ```swift
/// var reader = makeStandardLineReader(historyLimit: 1000)
/// loop: while true {
///   switch reader.readLine(prompt: "shears> ") {
///   case .line(let text): reader.addHistory(text)  // … run it …
///   case .interrupted: continue
///   case .endOfInput: break loop
///   }
/// }
/// _ = reader.saveHistory()
/// ```
public protocol LineReader {
  /// Reads one line, showing `prompt` when the input is interactive.
  mutating func readLine(prompt: String) -> LineReadResult

  /// Records `line` for recall with Up and Ctrl-R (no effect on non-interactive readers).
  mutating func addHistory(_ line: String)

  /// Writes the lines added since the last save to the history file, if there is one.
  ///
  /// - Returns: `nil` on success or when there is nothing to do, otherwise a warning that the
  ///   caller may show; a failure never stops the reader.
  mutating func saveHistory() -> LineEditingWarning?

  /// Problems met while setting the reader up (for example an unreadable history file).
  var startupWarnings: [LineEditingWarning] { get }
}
