/// Student's one-sample t-test of `H₀: E[x] = μ₀` (`scipy.stats.ttest_1samp`).
public enum OneSampleTTest {
  /// Tests whether the mean of `x` differs from `mean` (two-sided).
  ///
  /// `t = (x̄ − μ₀) / (s/√n)` with the sample standard deviation `s` (n − 1 in the denominator)
  /// and `n − 1` degrees of freedom; `p = P(|T_{n−1}| ≥ |t|)`.
  /// - Throws: `StatisticsError` for fewer than 2 values, non-finite values, or zero variance.
  public static func test(_ x: [Double], mean mu0: Double = 0) throws(StatisticsError)
    -> HypothesisTestResult
  {
    guard x.count >= 2 else {
      throw .tooFewValues(what: "one-sample t-test", minimum: 2, actual: x.count)
    }
    try DoubleKernels.requireFinite(x, "one-sample t-test")
    let s = Descriptive.sampleStandardDeviation(x)
    guard s > 0 else { throw .constantInput(what: "one-sample t-test") }
    let n = Double(x.count)
    let t = (Descriptive.mean(x) - mu0) / (s / n.squareRoot())
    let p = try StudentTDistribution.twoSidedPValue(t, degreesOfFreedom: n - 1)
    return HypothesisTestResult(statistic: t, pValue: p)
  }
}
