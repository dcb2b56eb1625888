/// The word that Tab completion replaces, as libedit delimits it.
///
/// A completion provider gets the whole line and the cursor position; the candidates it returns
/// replace the word that ends at the cursor. That word starts after the last of
/// ``breakCharacters`` before the cursor (or at the start of the line).
///
/// ```swift
/// CompletionWord.prefix(in: "m2 = pr", cursor: 7)  // "pr"
/// CompletionWord.prefix(in: "train m epochs=", cursor: 15)  // ""
/// ```
public enum CompletionWord {
  /// The characters that end a word for completion: white space, quotes, brackets and the
  /// punctuation of the command language (`=`, `,`, `#`, `;`, `|`, `&`, `<`, `>`). The colon,
  /// dot, slash and dash are part of words, so `:help`, `s.json` and `a/b` complete whole.
  static let breakCharacters = " \t\n\"'`=,[](){}#;|&<>"

  /// The part of the word before the cursor: the text that the candidates will replace.
  ///
  /// - Parameters:
  ///   - line: the whole input line.
  ///   - cursor: the cursor position, in `Character`s from the start of `line` (clamped).
  public static func prefix(in line: String, cursor: Int) -> Substring {
    let end =
      line.index(line.startIndex, offsetBy: max(0, cursor), limitedBy: line.endIndex)
      ?? line.endIndex
    let before = line[..<end]
    if let lastBreak = before.lastIndex(where: { breakCharacters.contains($0) }) {
      return before[before.index(after: lastBreak)...]
    }
    return before
  }

  /// Rewrites candidates that replace the text from `start` to the cursor so that they replace
  /// libedit's completion word (``prefix(in:cursor:)``) instead.
  ///
  /// Use it when a completer delimits words its own way. Where its span is shorter than
  /// libedit's word, the missing head is put in front of each candidate; where it is longer,
  /// the extra head is taken off (candidates that do not start with it are dropped).
  ///
  /// ```swift
  /// // The completer replaces "he" (start 1) in ":he"; libedit replaces ":he".
  /// CompletionWord.rebase(["help"], start: 1, in: ":he", cursor: 3)  // [":help"]
  /// ```
  ///
  /// - Parameters:
  ///   - candidates: full replacements for `line[start..<cursor]`.
  ///   - start: where the completer's span starts, in `Character`s.
  ///   - line: the whole input line.
  ///   - cursor: the cursor position, in `Character`s.
  public static func rebase(_ candidates: [String], start: Int, in line: String, cursor: Int)
    -> [String]
  {
    let characters = Array(line)
    let end = min(max(cursor, 0), characters.count)
    let wordStart = end - prefix(in: line, cursor: end).count
    let spanStart = min(max(start, 0), end)
    if spanStart >= wordStart {
      let head = String(characters[wordStart..<spanStart])
      return candidates.map { head + $0 }
    }
    let extra = String(characters[spanStart..<wordStart])
    return candidates.compactMap { $0.hasPrefix(extra) ? String($0.dropFirst(extra.count)) : nil }
  }
}
