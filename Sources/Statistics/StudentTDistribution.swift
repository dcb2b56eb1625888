/// Student's t distribution with `ν` degrees of freedom.
///
/// The tail is `P(T > |t|) = I_x(ν/2, 1/2)/2` with `x = ν/(ν + t²)`, where `I` is the
/// regularized incomplete beta function (Abramowitz & Stegun 26.7.1).
public enum StudentTDistribution {
  /// `P(T ≤ t)` for `ν = degreesOfFreedom > 0`.
  /// - Throws: `StatisticsError.invalidParameter` when `ν ≤ 0`.
  public static func cdf(_ t: Double, degreesOfFreedom nu: Double) throws(StatisticsError)
    -> Double
  {
    let tail = try upperTail(abs(t), nu)
    return t >= 0 ? 1 - tail : tail
  }

  /// `P(T > t)`, computed from the small tail without cancellation.
  /// - Throws: `StatisticsError.invalidParameter` when `ν ≤ 0`.
  public static func sf(_ t: Double, degreesOfFreedom nu: Double) throws(StatisticsError)
    -> Double
  {
    try cdf(-t, degreesOfFreedom: nu)
  }

  /// The two-sided p-value `P(|T| ≥ |t|) = I_x(ν/2, 1/2)`.
  /// - Throws: `StatisticsError.invalidParameter` when `ν ≤ 0`.
  public static func twoSidedPValue(_ t: Double, degreesOfFreedom nu: Double)
    throws(StatisticsError) -> Double
  {
    min(1, 2 * (try upperTail(abs(t), nu)))
  }

  /// `P(T > t)` for `t ≥ 0`.
  private static func upperTail(_ t: Double, _ nu: Double) throws(StatisticsError) -> Double {
    guard nu > 0, nu.isFinite else {
      throw .invalidParameter(
        what: "Student t degrees of freedom", value: nu, expected: "a finite value > 0")
    }
    if t.isInfinite { return 0 }
    let x = nu / (nu + t * t)
    return 0.5 * (try SpecialFunctions.regularizedIncompleteBeta(x, a: nu / 2, b: 0.5))
  }
}
