/// What one call to ``LineReader/readLine(prompt:)`` produced.
public enum LineReadResult: Equatable, Sendable {
  /// A complete line, without its trailing newline.
  case line(String)
  /// The user pressed Ctrl-C while the line was being edited: the partial line is discarded
  /// and the caller should prompt again.
  case interrupted
  /// End of input: Ctrl-D on an empty line, the end of a pipe or file, or a read error.
  case endOfInput
}
