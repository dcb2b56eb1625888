/// The most the language accepts from one input, so that hostile or mistaken text gets a clear
/// error instead of exhausting the stack, memory or time.
///
/// - ``maximumNesting``: brackets and parentheses open at once (sqlite3 caps expression depth at
///   1000; this language never needs more than a few, and 100 stays far inside a debug build's
///   stack on a 512 KiB secondary thread).
/// - ``maximumLineLength``: characters on one line (a line over it is refused as a whole).
/// - ``maximumNameLength``: characters in one word (a name, symbol or keyword).
/// - ``maximumErrorsPerLine``: diagnostics kept for one line, ``maximumErrors`` for a whole
///   input; the rest are counted in an "and N more" diagnostic.
///
/// ```swift
/// Parser.parse(String(repeating: "(", count: 5000))  // one diagnostic, no crash
/// ```
public enum InputLimits {
  /// Brackets and parentheses open at once.
  public static let maximumNesting = 100
  /// Characters on one line.
  public static let maximumLineLength = 10_000
  /// Characters in one word.
  public static let maximumNameLength = 256
  /// Diagnostics reported for one line before the rest are summarised.
  public static let maximumErrorsPerLine = 10
  /// Diagnostics reported for one input before the rest are summarised.
  public static let maximumErrors = 100

  /// `diagnostics` (in source order) with at most ``maximumErrorsPerLine`` per line; the rest
  /// of a line are replaced by one diagnostic saying how many more there are.
  public static func capped(_ diagnostics: [Diagnostic]) -> [Diagnostic] {
    var kept: [Diagnostic] = []
    var index = 0
    while index < diagnostics.count {
      let line = diagnostics[index].range.line
      var end = index
      while end < diagnostics.count && diagnostics[end].range.line == line { end += 1 }
      let count = end - index
      if count <= maximumErrorsPerLine {
        kept += diagnostics[index..<end]
      } else {
        kept += diagnostics[index..<index + maximumErrorsPerLine]
        let more = count - maximumErrorsPerLine
        let last = diagnostics[index + maximumErrorsPerLine]
        kept.append(
          Diagnostic(
            last.kind,
            "and \(more) more error\(more == 1 ? "" : "s") on line \(line); "
              + "fix the ones above first", at: last.range))
      }
      index = end
    }
    guard kept.count > maximumErrors else { return kept }
    var total = 0
    for diagnostic in kept[maximumErrors...] {
      total += Self.moreCount(diagnostic) ?? 1
    }
    let next = kept[maximumErrors]
    return Array(kept[..<maximumErrors]) + [
      Diagnostic(
        next.kind,
        "and \(total) more error\(total == 1 ? "" : "s") from line \(next.range.line) on; "
          + "fix the ones above first", at: next.range)
    ]
  }

  /// The count of an "and N more errors on line L" diagnostic (it stands for N + 0 others).
  private static func moreCount(_ diagnostic: Diagnostic) -> Int? {
    guard diagnostic.message.hasPrefix("and "), diagnostic.message.contains(" more error"),
      let number = diagnostic.message.dropFirst(4).split(separator: " ").first
    else { return nil }
    return Int(number)
  }
}
