import Statistics

/// Which filters a score vector prunes, and how much two pruned sets agree (ALGORITHMS.md §2.3).
enum PrunedSetOverlap {
  /// The number of filters pruned out of `count` at `ratio`: `round(ratio · count)`, rounding
  /// halves away from zero (Swift's `.rounded()`; note Python's `round` rounds halves to even).
  /// - Throws: `StatisticsError.invalidParameter` when `ratio ∉ [0, 1]`.
  public static func prunedCount(count: Int, ratio: Double) throws(StatisticsError) -> Int {
    guard ratio >= 0, ratio <= 1 else {
      throw .invalidParameter(what: "pruning ratio", value: ratio, expected: "0 ≤ ratio ≤ 1")
    }
    return Int((ratio * Double(count)).rounded())
  }

  /// The indices pruned at `ratio` (larger score = keep): the `round(ratio·n)` lowest scores.
  /// Ties are broken by the lower index first (a lower index is pruned before a higher one with
  /// the same score). The result is sorted by index.
  ///
  /// ```swift
  /// try PrunedSetOverlap.prunedIndices(scores: [0.3, 0.1, 0.2, 0.1], ratio: 0.5)  // [1, 3]
  /// ```
  /// - Throws: `StatisticsError` for a ratio outside [0, 1] or a NaN/infinite score.
  static func prunedIndices(scores: [Double], ratio: Double) throws(StatisticsError)
    -> [Int]
  {
    try DoubleKernels.requireFinite(scores, "pruned set")
    let k = try prunedCount(count: scores.count, ratio: ratio)
    let order = scores.indices.sorted {
      scores[$0] < scores[$1] || (scores[$0] == scores[$1] && $0 < $1)
    }
    return order.prefix(k).sorted()
  }

  /// The Jaccard index `|A ∩ B| / |A ∪ B|` of two index sets; 1 when both are empty.
  public static func jaccard(_ a: [Int], _ b: [Int]) -> Double {
    let setA = Set(a)
    let setB = Set(b)
    let union = setA.union(setB).count
    guard union > 0 else { return 1 }
    return Double(setA.intersection(setB).count) / Double(union)
  }

  /// The overlap `|A ∩ B| / |A|` of pruned set `a` with pruned set `b` (the fraction of `a`'s
  /// filters that `b` prunes too); 1 when `a` is empty.
  public static func overlap(_ a: [Int], _ b: [Int]) -> Double {
    let setA = Set(a)
    guard !setA.isEmpty else { return 1 }
    return Double(setA.intersection(Set(b)).count) / Double(setA.count)
  }
}
