import Foundation

/// The Shapiro–Wilk test of normality, W statistic and p-value by Royston's algorithm AS R94
/// (P. Royston, "Remark AS R94: A remark on algorithm AS 181: The W-test for normality",
/// Applied Statistics 44(4), 1995), as in R's `swilk.c` and `scipy.stats.shapiro`.
///
/// Valid for `3 ≤ n ≤ 5000`. The coefficients depend only on `n`, so build one value per
/// sample size and reuse it for many samples of that size (e.g. every coordinate of a layer).
///
/// ```swift
/// let sw = try ShapiroWilk(sampleSize: 20)
/// let result = try sw.evaluate(sample)   // result.statistic is W, result.pValue its p-value
/// ```
public struct ShapiroWilk: Sendable {
  /// The smallest sample size the algorithm supports.
  public static let minimumSampleSize = 3
  /// The largest sample size the algorithm supports (Royston 1995).
  public static let maximumSampleSize = 5000

  /// The sample size `n` these coefficients are for.
  public let sampleSize: Int
  /// The positive coefficients `a_1 ≥ … ≥ a_{n/2}` of the upper half (the lower half uses their
  /// negatives), normalised so that `2 Σ a_i² = 1`.
  public let coefficients: [Double]

  /// Computes the coefficients for samples of size `sampleSize`.
  /// - Throws: `StatisticsError` when `sampleSize ∉ [3, 5000]`.
  public init(sampleSize n: Int) throws(StatisticsError) {
    guard n >= Self.minimumSampleSize else {
      throw .tooFewValues(what: "Shapiro–Wilk test", minimum: Self.minimumSampleSize, actual: n)
    }
    guard n <= Self.maximumSampleSize else {
      throw .tooManyValues(what: "Shapiro–Wilk test", maximum: Self.maximumSampleSize, actual: n)
    }
    sampleSize = n
    let half = n / 2
    if n == 3 {
      coefficients = [(0.5).squareRoot()]
      return
    }
    let an = Double(n)
    let an25 = an + 0.25
    var m = [Double](repeating: 0, count: half)
    var summ2 = 0.0
    for i in 0..<half {
      m[i] = try NormalDistribution.quantile((Double(i + 1) - 0.375) / an25)
      summ2 += m[i] * m[i]
    }
    summ2 *= 2
    let ssumm2 = summ2.squareRoot()
    let rsn = 1 / an.squareRoot()
    let c1 = [0.0, 0.221157, -0.147981, -2.07119, 4.434685, -2.706056]
    let c2 = [0.0, 0.042981, -0.293762, -1.752461, 5.682633, -3.582633]
    let a1 = Self.poly(c1, rsn) - m[0] / ssumm2
    var a = [Double](repeating: 0, count: half)
    let firstScaled: Int
    let fac: Double
    if n > 5 {
      firstScaled = 2
      let a2 = -m[1] / ssumm2 + Self.poly(c2, rsn)
      fac = ((summ2 - 2 * m[0] * m[0] - 2 * m[1] * m[1]) / (1 - 2 * a1 * a1 - 2 * a2 * a2))
        .squareRoot()
      a[1] = a2
    } else {
      firstScaled = 1
      fac = ((summ2 - 2 * m[0] * m[0]) / (1 - 2 * a1 * a1)).squareRoot()
    }
    a[0] = a1
    for i in firstScaled..<max(firstScaled, half) { a[i] = -m[i] / fac }
    coefficients = a
  }

  /// W and its p-value for one sample of exactly `sampleSize` values (any order).
  /// - Throws: `StatisticsError` for a wrong length, non-finite values or a constant sample.
  public func evaluate(_ sample: [Double]) throws(StatisticsError) -> HypothesisTestResult {
    let n = sampleSize
    guard sample.count == n else {
      throw .lengthMismatch(what: "Shapiro–Wilk sample size", first: n, second: sample.count)
    }
    try DoubleKernels.requireFinite(sample, "Shapiro–Wilk test")
    let x = sample.sorted()
    let range = x[n - 1] - x[0]
    guard range > 0 else { throw .constantInput(what: "Shapiro–Wilk test") }

    // W as the squared correlation between the ordered data and the coefficients; 1 − W is
    // computed directly to avoid rounding when W is very near 1 (AS R94).
    var coefficientOf = [Double](repeating: 0, count: n)
    for i in 0..<(n / 2) {
      coefficientOf[i] = -coefficients[i]
      coefficientOf[n - 1 - i] = coefficients[i]
    }
    var sa = 0.0
    var sx = 0.0
    for i in 0..<n {
      sa += coefficientOf[i]
      sx += x[i] / range
    }
    sa /= Double(n)
    sx /= Double(n)
    var ssa = 0.0
    var ssx = 0.0
    var sax = 0.0
    for i in 0..<n {
      let asa = coefficientOf[i] - sa
      let xsx = x[i] / range - sx
      ssa += asa * asa
      ssx += xsx * xsx
      sax += asa * xsx
    }
    let ssassx = (ssa * ssx).squareRoot()
    let w1 = max(0, (ssassx - sax) * (ssassx + sax) / (ssa * ssx))
    let w = 1 - w1
    return HypothesisTestResult(statistic: w, pValue: Self.pValue(w: w, w1: w1, n: n))
  }

  /// Convenience: the Shapiro–Wilk test of one sample (coefficients built for its size).
  /// - Throws: `StatisticsError` when `n ∉ [3, 5000]`, for non-finite values or a constant
  ///   sample.
  public static func test(_ sample: [Double]) throws(StatisticsError) -> HypothesisTestResult {
    try ShapiroWilk(sampleSize: sample.count).evaluate(sample)
  }

  /// Royston's p-value: exact for n = 3; a normalising transformation of log(1 − W) for
  /// 4 ≤ n ≤ 11 and for n ≥ 12.
  private static func pValue(w: Double, w1: Double, n: Int) -> Double {
    if n == 3 {
      let pi6 = 6 / Double.pi
      let stqr = Double.pi / 3
      return min(1, max(0, pi6 * (asin(w.squareRoot()) - stqr)))
    }
    if w1 <= 0 { return 1 }
    var y = log(w1)
    let an = Double(n)
    let mu: Double
    let sigma: Double
    if n <= 11 {
      let gamma = poly([-2.273, 0.459], an)
      if y >= gamma { return 1e-99 }
      y = -log(gamma - y)
      mu = poly([0.544, -0.39978, 0.025054, -6.714e-4], an)
      sigma = exp(poly([1.3822, -0.77857, 0.062767, -0.0020322], an))
    } else {
      let lnN = log(an)
      mu = poly([-1.5861, -0.31082, -0.083751, 0.0038915], lnN)
      sigma = exp(poly([-0.4803, -0.082676, 0.0030302], lnN))
    }
    return NormalDistribution.sf((y - mu) / sigma)
  }

  /// `c[0] + c[1]·x + … + c[d]·x^d` by Horner's rule.
  private static func poly(_ c: [Double], _ x: Double) -> Double {
    var result = 0.0
    for coefficient in c.reversed() { result = result * x + coefficient }
    return result
  }
}
