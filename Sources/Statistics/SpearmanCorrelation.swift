extension Correlation {
  /// Spearman's rank correlation ρ: Pearson's r of the average ranks (ties get the mean of
  /// their ranks), so it is correct with ties (`scipy.stats.spearmanr`).
  ///
  /// The p-value is the t-approximation `t = ρ·sqrt((n−2)/(1−ρ²))` with `n − 2` degrees of
  /// freedom, as in `scipy.stats.spearmanr`; it is `nil` for `n < 3` and not exact for small n.
  ///
  /// ```swift
  /// try Correlation.spearman([1, 2, 3, 4], [1, 3, 2, 4]).coefficient  // 0.8
  /// ```
  /// - Throws: `StatisticsError` for unequal lengths, fewer than 2 pairs, non-finite values, or
  ///   a constant input (all ranks tied).
  public static func spearman(_ x: [Double], _ y: [Double]) throws(StatisticsError)
    -> CorrelationResult
  {
    try checkPaired(x, y, "Spearman correlation", minimum: 2)
    let rx = try Ranks.average(x)
    let ry = try Ranks.average(y)
    do {
      return try pearson(rx, ry)
    } catch .constantInput {
      throw .constantInput(what: "Spearman correlation")
    }
  }
}
