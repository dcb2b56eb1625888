/// Candidates for Tab completion: given the whole line and the cursor position (in
/// `Character`s), the full words that may replace ``CompletionWord/prefix(in:cursor:)``.
///
/// The provider does its own filtering: every candidate it returns is offered. One candidate is
/// inserted followed by a space (nothing when it ends in `=`, `/`, `(` or `[`); several are
/// reduced to their common prefix, and a second Tab lists them. An empty list rings the bell
/// (there is no fallback to file names). A completer that delimits words differently can adapt
/// its candidates with ``CompletionWord/rebase(_:start:in:cursor:)``.
///
/// ```swift
/// let words = ["prune", "plan", "print", "score"]
/// let provider: CompletionProvider = { line, cursor in
///   let word = CompletionWord.prefix(in: line, cursor: cursor)
///   return words.filter { $0.hasPrefix(word) }
/// }
/// ```
public typealias CompletionProvider = (_ line: String, _ cursor: Int) -> [String]
