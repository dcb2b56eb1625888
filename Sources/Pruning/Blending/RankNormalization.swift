/// Rank-normalised scores (ALGORITHMS.md §1.3 step 6): `ŝ_i = (r_i − 1)/(N − 1)` with average
/// ranks for ties, so every candidate spans [0, 1] whatever its scale; 0 for N = 1.
///
/// ```swift
/// RankNormalization.normalize([3, 1, 2])   // [1, 0, 0.5]
/// RankNormalization.normalize([5, 5, 1])   // [0.75, 0.75, 0]
/// ```
public enum RankNormalization {
  /// The normalised ranks of `scores` (ascending: the largest score gets 1). NaN ranks lowest.
  public static func normalize(_ scores: [Double]) -> [Double] {
    let n = scores.count
    guard n > 1 else { return [Double](repeating: 0, count: n) }
    let order = scores.indices.sorted { a, b in
      let (x, y) = (
        scores[a].isNaN ? -Double.infinity : scores[a],
        scores[b].isNaN ? -Double.infinity : scores[b]
      )
      return x < y || (x == y && a < b)
    }
    var ranks = [Double](repeating: 0, count: n)
    var i = 0
    while i < n {
      var j = i
      let v = scores[order[i]]
      while j + 1 < n, scores[order[j + 1]] == v || (v.isNaN && scores[order[j + 1]].isNaN) {
        j += 1
      }
      let average = Double(i + j) / 2  // 0-based average rank
      for k in i...j { ranks[order[k]] = average }
      i = j + 1
    }
    return ranks.map { $0 / Double(n - 1) }
  }
}
