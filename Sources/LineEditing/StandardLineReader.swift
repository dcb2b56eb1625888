import Foundation

/// The reader the shell should use for its standard input: an ``EditLineReader`` when standard
/// input and output are both terminals, otherwise a ``PlainLineReader`` (no prompt, no escape
/// codes, no history).
///
/// - Parameters:
///   - environment: where the history file is looked up (see
///     ``HistoryLocation/resolve(environment:)``); when none can be named the interactive
///     reader keeps history in memory and reports ``LineEditingWarning/noHistoryLocation``.
///   - historyLimit: the most history entries kept.
///   - completion: Tab completion for the interactive reader.
/// - Returns: the reader; problems with the history file are in its
///   ``LineReader/startupWarnings``.
public func makeStandardLineReader(
  environment: [String: String] = ProcessInfo.processInfo.environment,
  historyLimit: Int = 1000,
  completion: CompletionProvider? = nil
) -> any LineReader {
  guard isatty(STDIN_FILENO) == 1 && isatty(STDOUT_FILENO) == 1 else {
    return PlainLineReader()
  }
  let path = HistoryLocation.resolve(environment: environment)
  let reader = EditLineReader(
    historyPath: path, historyLimit: historyLimit, completion: completion)
  if path == nil {
    reader.startupWarnings.insert(.noHistoryLocation, at: 0)
  }
  return reader
}
