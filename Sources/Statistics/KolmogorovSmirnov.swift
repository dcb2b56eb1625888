/// The one-sample Kolmogorov–Smirnov test against a fully specified normal distribution.
public enum KolmogorovSmirnov {
  /// The largest sample size for which the exact p-value is computed.
  static let exactLimit = 1000

  /// Tests whether `x` is a sample from `N(mean, standardDeviation²)` (two-sided;
  /// `scipy.stats.kstest(x, 'norm', args=(mean, sd))`).
  ///
  /// The statistic is `D = max_i max(i/n − F(x_(i)), F(x_(i)) − (i−1)/n)`. The p-value
  /// `P(D_n ≥ D)` is:
  /// - for `n ≤ 1000` (`exactLimit`): exact, `1 − P(D_n < D)` by Marsaglia, Tsang & Wang
  ///   (2003), see `KolmogorovDistribution.finiteSampleCDF` (its matrix has at most about
  ///   `4√n` rows, so a call costs at most a few tens of milliseconds in a release build);
  /// - for `n > 1000`: the asymptotic Kolmogorov distribution with Stephens' correction,
  ///   `Q_KS((√n + 0.12 + 0.11/√n)·D)` (M. A. Stephens, JRSS B 32(1), 1970), within about
  ///   0.005 of the exact value for n > 1000.
  ///
  /// Parameters must be given, not estimated from `x`: with estimated parameters the test is
  /// conservative (it rejects less often than α; the Lilliefors problem).
  /// - Throws: `StatisticsError` for an empty sample, non-finite values or
  ///   `standardDeviation ≤ 0`.
  public static func testNormal(
    _ x: [Double], mean: Double = 0, standardDeviation: Double = 1
  ) throws(StatisticsError) -> HypothesisTestResult {
    guard !x.isEmpty else {
      throw .tooFewValues(what: "Kolmogorov–Smirnov test", minimum: 1, actual: 0)
    }
    guard standardDeviation > 0, standardDeviation.isFinite else {
      throw .invalidParameter(
        what: "Kolmogorov–Smirnov standard deviation", value: standardDeviation,
        expected: "a finite value > 0")
    }
    try DoubleKernels.requireFinite(x, "Kolmogorov–Smirnov test")
    let sorted = x.sorted()
    let n = sorted.count
    let nd = Double(n)
    var d = 0.0
    for (i, value) in sorted.enumerated() {
      let f = NormalDistribution.cdf((value - mean) / standardDeviation)
      d = max(d, Double(i + 1) / nd - f, f - Double(i) / nd)
    }
    return HypothesisTestResult(statistic: d, pValue: try pValue(d, n: n))
  }

  /// `P(D_n ≥ d)` for the two-sided one-sample statistic (see `testNormal` for the method).
  /// - Throws: `StatisticsError.invalidParameter` when `n < 1`.
  public static func pValue(_ d: Double, n: Int) throws(StatisticsError) -> Double {
    if n <= exactLimit {
      return max(0, min(1, 1 - (try KolmogorovDistribution.finiteSampleCDF(d, n: n))))
    }
    let rootN = Double(n).squareRoot()
    return KolmogorovDistribution.sf((rootN + 0.12 + 0.11 / rootN) * d)
  }
}
