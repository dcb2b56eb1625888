/// "Did you mean" suggestions by edit distance.
public enum Suggestion {
  /// The longest word that gets a suggestion (no command, argument or symbol is near it).
  public static let maximumLength = 64

  /// The optimal-string-alignment distance (insertions, deletions, substitutions and swaps of
  /// two neighbours each cost 1) between `a` and `b`, ignoring case.
  ///
  /// ```swift
  /// Suggestion.distance("fpmg", "fpgm")  // 1 (one swap)
  /// ```
  public static func distance(_ a: String, _ b: String) -> Int {
    let x = Array(a.lowercased())
    let y = Array(b.lowercased())
    if x.isEmpty { return y.count }
    if y.isEmpty { return x.count }
    var table = Array(repeating: Array(repeating: 0, count: y.count + 1), count: x.count + 1)
    for i in 0...x.count { table[i][0] = i }
    for j in 0...y.count { table[0][j] = j }
    for i in 1...x.count {
      for j in 1...y.count {
        let cost = x[i - 1] == y[j - 1] ? 0 : 1
        var best = min(table[i - 1][j] + 1, table[i][j - 1] + 1, table[i - 1][j - 1] + cost)
        if i > 1, j > 1, x[i - 1] == y[j - 2], x[i - 2] == y[j - 1] {
          best = min(best, table[i - 2][j - 2] + 1)
        }
        table[i][j] = best
      }
    }
    return table[x.count][y.count]
  }

  /// The candidate closest to `word`, if it is close enough to be a likely typo.
  ///
  /// Close enough means a distance of at most `max(1, word.count / 3)` and less than
  /// `word.count`; ties go to the alphabetically first candidate. `word` itself is never
  /// suggested.
  ///
  /// Bounded cost: a word longer than ``maximumLength`` gets no suggestion, and a candidate
  /// whose length differs from the word's by more than the limit is skipped without computing
  /// its distance, so one call costs at most `candidates × maximumLength²` steps.
  public static func closest(to word: String, among candidates: [String]) -> String? {
    let length = word.count
    guard length <= maximumLength else { return nil }
    let limit = min(max(1, length / 3), length - 1)
    var best: (distance: Int, name: String)?
    for candidate in Set(candidates) where candidate != word {
      guard abs(candidate.count - length) <= limit else { continue }
      let d = distance(word, candidate)
      guard d <= limit else { continue }
      if let current = best, (current.distance, current.name) <= (d, candidate) { continue }
      best = (d, candidate)
    }
    return best?.name
  }
}
