/// A correlation coefficient with its two-sided p-value for "no association".
public struct CorrelationResult: Sendable, Equatable, Codable {
  /// The coefficient, in [−1, 1].
  public internal(set) var coefficient: Double
  /// The two-sided p-value, or `nil` when too few pairs make it undefined.
  public internal(set) var pValue: Double?

  /// Creates a result from a coefficient and an optional p-value.
  public init(coefficient: Double, pValue: Double?) {
    self.coefficient = coefficient
    self.pValue = pValue
  }
}

/// Correlation coefficients between two paired samples: Pearson, Spearman and Kendall τ-b.
public enum Correlation {
  /// Pearson's product-moment correlation `r = Σ(x−x̄)(y−ȳ) / sqrt(Σ(x−x̄)² Σ(y−ȳ)²)`.
  ///
  /// The p-value uses `t = r·sqrt((n−2)/(1−r²))` with `n − 2` degrees of freedom (exact for
  /// bivariate normal data); it is `nil` for `n < 3`.
  /// - Throws: `StatisticsError` for unequal lengths, fewer than 2 pairs, non-finite values, or
  ///   a constant input.
  public static func pearson(_ x: [Double], _ y: [Double]) throws(StatisticsError)
    -> CorrelationResult
  {
    try checkPaired(x, y, "Pearson correlation", minimum: 2)
    try DoubleKernels.requireFinite(x, "Pearson correlation (first input)")
    try DoubleKernels.requireFinite(y, "Pearson correlation (second input)")
    let mx = Descriptive.mean(x)
    let my = Descriptive.mean(y)
    var sxy = 0.0
    var sxx = 0.0
    var syy = 0.0
    for i in x.indices {
      let dx = x[i] - mx
      let dy = y[i] - my
      sxy += dx * dy
      sxx += dx * dx
      syy += dy * dy
    }
    guard sxx > 0, syy > 0 else { throw .constantInput(what: "Pearson correlation") }
    let r = max(-1, min(1, sxy / (sxx * syy).squareRoot()))
    return CorrelationResult(coefficient: r, pValue: try tTestPValue(r, n: x.count))
  }

  /// The two-sided p-value of a correlation `r` by the t-approximation with `n − 2` degrees of
  /// freedom; `nil` for `n < 3`, 0 for `|r| = 1`.
  static func tTestPValue(_ r: Double, n: Int) throws(StatisticsError) -> Double? {
    guard n >= 3 else { return nil }
    let df = Double(n - 2)
    let denominator = (1 - r) * (1 + r)
    if denominator <= 0 { return 0 }
    let t = r * (df / denominator).squareRoot()
    return try StudentTDistribution.twoSidedPValue(t, degreesOfFreedom: df)
  }

  static func checkPaired(
    _ x: [Double], _ y: [Double], _ what: String, minimum: Int
  ) throws(StatisticsError) {
    guard x.count == y.count else {
      throw .lengthMismatch(what: what, first: x.count, second: y.count)
    }
    guard x.count >= minimum else {
      throw .tooFewValues(what: what, minimum: minimum, actual: x.count)
    }
  }
}
