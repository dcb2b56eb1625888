/// The chi-square distribution with `k` degrees of freedom: `P(χ²_k ≤ x) = P(k/2, x/2)`, the
/// regularized lower incomplete gamma function.
public enum ChiSquareDistribution {
  /// `P(χ²_k ≤ x)`; 0 for `x ≤ 0`.
  /// - Throws: `StatisticsError.invalidParameter` when `k ≤ 0`.
  public static func cdf(_ x: Double, degreesOfFreedom k: Double) throws(StatisticsError)
    -> Double
  {
    try checkDegreesOfFreedom(k)
    if x <= 0 { return 0 }
    return try SpecialFunctions.regularizedGammaP(a: k / 2, x: x / 2)
  }

  /// `P(χ²_k > x) = Q(k/2, x/2)`, accurate in the upper tail; 1 for `x ≤ 0`.
  /// - Throws: `StatisticsError.invalidParameter` when `k ≤ 0`.
  public static func sf(_ x: Double, degreesOfFreedom k: Double) throws(StatisticsError)
    -> Double
  {
    try checkDegreesOfFreedom(k)
    if x <= 0 { return 1 }
    return try SpecialFunctions.regularizedGammaQ(a: k / 2, x: x / 2)
  }

  private static func checkDegreesOfFreedom(_ k: Double) throws(StatisticsError) {
    guard k > 0, k.isFinite else {
      throw .invalidParameter(
        what: "chi-square degrees of freedom", value: k, expected: "a finite value > 0")
    }
  }
}
