/// Ranking of score vectors with ties.
public enum Ranks {
  /// The 1-based average ranks of `x`: the smallest value gets rank 1, and tied values share the
  /// mean of the ranks they occupy (`scipy.stats.rankdata(x, method='average')`).
  ///
  /// ```swift
  /// try Ranks.average([3, 1, 2, 2])  // [4, 1, 2.5, 2.5]
  /// ```
  /// - Throws: `StatisticsError.nonFiniteValue` if a value is NaN or infinite.
  public static func average(_ x: [Double]) throws(StatisticsError) -> [Double] {
    try DoubleKernels.requireFinite(x, "ranking")
    let order = x.indices.sorted { x[$0] < x[$1] || (x[$0] == x[$1] && $0 < $1) }
    var ranks = [Double](repeating: 0, count: x.count)
    var start = 0
    while start < order.count {
      var end = start + 1
      while end < order.count && x[order[end]] == x[order[start]] { end += 1 }
      // Positions start..<end hold 1-based ranks start+1 ... end; their mean is (start+1+end)/2.
      let rank = Double(start + 1 + end) / 2
      for p in start..<end { ranks[order[p]] = rank }
      start = end
    }
    return ranks
  }
}
