import Foundation

/// D'Agostino–Pearson's omnibus K² test of normality, combining the skewness test
/// (D'Agostino 1970) and the kurtosis test (Anscombe & Glynn 1983), as in
/// `scipy.stats.normaltest` (D'Agostino, Belanger & D'Agostino, Am. Stat. 44(4), 1990).
public enum DAgostinoPearson {
  /// The smallest sample size accepted (the skewness test's requirement, as in scipy).
  public static let minimumSampleSize = 8

  /// The full outcome: `K² = Z_s² + Z_k²` (the statistic), its p-value `P(χ²₂ > K²)`, and the
  /// two normal scores.
  public struct Result: Sendable, Equatable, Codable {
    /// The omnibus statistic K² and its χ²₂ p-value.
    public var test: HypothesisTestResult
    /// The skewness z-score `Z_s` (`scipy.stats.skewtest`).
    public internal(set) var skewnessZ: Double
    /// The kurtosis z-score `Z_k` (`scipy.stats.kurtosistest`).
    public internal(set) var kurtosisZ: Double
  }

  /// Tests `x` for normality.
  ///
  /// Skewness: `b₁ = m₃/m₂^{3/2}`, `Y = b₁·sqrt((n+1)(n+3)/(6(n−2)))`,
  /// `β₂ = 3(n²+27n−70)(n+1)(n+3)/((n−2)(n+5)(n+7)(n+9))`, `W² = −1 + sqrt(2(β₂−1))`,
  /// `δ = 1/sqrt(ln W)`, `α = sqrt(2/(W²−1))`, `Z_s = δ·asinh(Y/α)`.
  /// Kurtosis: `b₂ = m₄/m₂²`, `E = 3(n−1)/(n+1)`, `Var = 24n(n−2)(n−3)/((n+1)²(n+3)(n+5))`,
  /// `x = (b₂ − E)/√Var`, `√β₁ = 6(n²−5n+2)/((n+7)(n+9))·sqrt(6(n+3)(n+5)/(n(n−2)(n−3)))`,
  /// `A = 6 + 8/√β₁·(2/√β₁ + sqrt(1 + 4/β₁))`,
  /// `Z_k = ((1 − 2/(9A)) − ((1 − 2/A)/(1 + x·sqrt(2/(A−4))))^{1/3}) / sqrt(2/(9A))`.
  /// - Throws: `StatisticsError` for fewer than 8 values, non-finite values or a constant
  ///   sample.
  public static func test(_ x: [Double]) throws(StatisticsError) -> Result {
    guard x.count >= minimumSampleSize else {
      throw .tooFewValues(
        what: "D'Agostino–Pearson K² test", minimum: minimumSampleSize, actual: x.count)
    }
    try DoubleKernels.requireFinite(x, "D'Agostino–Pearson K² test")
    let (m2, m3, m4) = Descriptive.centralMoments(x)
    guard m2 > 0 else { throw .constantInput(what: "D'Agostino–Pearson K² test") }
    let n = Double(x.count)

    let b1 = m3 / pow(m2, 1.5)
    let y = b1 * ((n + 1) * (n + 3) / (6 * (n - 2))).squareRoot()
    let beta2 =
      3 * (n * n + 27 * n - 70) * (n + 1) * (n + 3) / ((n - 2) * (n + 5) * (n + 7) * (n + 9))
    let wSquared = -1 + (2 * (beta2 - 1)).squareRoot()
    let delta = 1 / (0.5 * log(wSquared)).squareRoot()
    let alpha = (2 / (wSquared - 1)).squareRoot()
    let zs = delta * asinh(y / alpha)

    let b2 = m4 / (m2 * m2)
    let expected = 3 * (n - 1) / (n + 1)
    let variance = 24 * n * (n - 2) * (n - 3) / ((n + 1) * (n + 1) * (n + 3) * (n + 5))
    let standardized = (b2 - expected) / variance.squareRoot()
    let sqrtBeta1 =
      6 * (n * n - 5 * n + 2) / ((n + 7) * (n + 9))
      * (6 * (n + 3) * (n + 5) / (n * (n - 2) * (n - 3))).squareRoot()
    let a =
      6 + 8 / sqrtBeta1 * (2 / sqrtBeta1 + (1 + 4 / (sqrtBeta1 * sqrtBeta1)).squareRoot())
    let term1 = 1 - 2 / (9 * a)
    var denominator = 1 + standardized * (2 / (a - 4)).squareRoot()
    // A zero denominator means |Z_k| → ∞; keep the result finite (p = 0 either way).
    if denominator == 0 { denominator = .leastNormalMagnitude }
    let term2 =
      (denominator < 0 ? -1.0 : 1.0) * pow((1 - 2 / a) / abs(denominator), 1.0 / 3.0)
    let zk = (term1 - term2) / (2 / (9 * a)).squareRoot()

    let k2 = zs * zs + zk * zk
    let p = try ChiSquareDistribution.sf(k2, degreesOfFreedom: 2)
    return Result(
      test: HypothesisTestResult(statistic: k2, pValue: p), skewnessZ: zs, kurtosisZ: zk)
  }
}
