import Foundation

/// The distribution of the Kolmogorov–Smirnov statistic: the limiting Kolmogorov distribution
/// of `√n·D_n`, and the exact finite-sample distribution of `D_n` by Marsaglia, Tsang & Wang
/// (2003).
public enum KolmogorovDistribution {
  /// The Kolmogorov CDF `K(x) = P(K ≤ x) = 1 − 2 Σ_{j≥1} (−1)^{j−1} exp(−2j²x²)`.
  ///
  /// For `x < 1.18` the equivalent theta-function form
  /// `K(x) = (√(2π)/x) Σ_{j≥1} exp(−(2j−1)²π²/(8x²))` is used, which converges fast there.
  public static func cdf(_ x: Double) -> Double {
    if x <= 0 { return 0 }
    if x < 1.18 {
      let factor = (2 * Double.pi).squareRoot() / x
      let w = Double.pi * Double.pi / (8 * x * x)
      var sum = 0.0
      for j in 1...50 {
        let odd = Double(2 * j - 1)
        let term = exp(-odd * odd * w)
        sum += term
        if term < 1e-17 * sum { break }
      }
      return min(1, factor * sum)
    }
    return 1 - sf(x)
  }

  /// The Kolmogorov survival function `P(K > x) = 2 Σ_{j≥1} (−1)^{j−1} exp(−2j²x²)`, summed
  /// directly for `x ≥ 1.18` (no cancellation in the upper tail).
  public static func sf(_ x: Double) -> Double {
    if x <= 0 { return 1 }
    if x < 1.18 { return 1 - cdf(x) }
    var sum = 0.0
    var sign = 1.0
    for j in 1...100 {
      let jd = Double(j)
      let term = exp(-2 * jd * jd * x * x)
      sum += sign * term
      sign = -sign
      if term < 1e-17 * abs(sum) { break }
    }
    return max(0, min(1, 2 * sum))
  }

  /// `P(D_n < d)` for the two-sided one-sample statistic `D_n = sup|F_n − F|` of `n` i.i.d.
  /// draws from a continuous `F`, by Marsaglia, Tsang & Wang, "Evaluating Kolmogorov's
  /// distribution", J. Stat. Software 8(18), 2003 (Durbin's matrix formula, scaled powers).
  ///
  /// As in their published code, when `n·d² > 7.24` (or `> 3.76` with `n > 99`) the tail
  /// approximation `1 − 2·exp(−(2.000071 + 0.331/√n + 1.409/n)·n·d²)` is returned; it is
  /// accurate to about 7 digits there and keeps the matrix small.
  /// The cost is `O(m³ log n)` with `m = 2⌊n·d⌋ + 1`.
  /// - Throws: `StatisticsError.invalidParameter` when `n < 1`.
  public static func finiteSampleCDF(_ d: Double, n: Int) throws(StatisticsError) -> Double {
    guard n >= 1 else {
      throw .invalidParameter(
        what: "Kolmogorov sample size", value: Double(n), expected: "n ≥ 1")
    }
    let nd = Double(n)
    if d <= 1 / (2 * nd) { return 0 }
    if d >= 1 { return 1 }
    let s = d * d * nd
    if s > 7.24 || (s > 3.76 && n > 99) {
      return 1 - 2 * exp(-(2.000071 + 0.331 / nd.squareRoot() + 1.409 / nd) * s)
    }
    let k = Int(nd * d) + 1
    let m = 2 * k - 1
    let h = Double(k) - nd * d
    var hMatrix = [Double](repeating: 0, count: m * m)
    for i in 0..<m {
      for j in 0..<m where i - j + 1 >= 0 { hMatrix[i * m + j] = 1 }
    }
    for i in 0..<m {
      hMatrix[i * m] -= pow(h, Double(i + 1))
      hMatrix[(m - 1) * m + i] -= pow(h, Double(m - i))
    }
    if 2 * h - 1 > 0 { hMatrix[(m - 1) * m] += pow(2 * h - 1, Double(m)) }
    for i in 0..<m {
      for j in 0..<m where i - j + 1 > 0 {
        for g in 1...(i - j + 1) { hMatrix[i * m + j] /= Double(g) }
      }
    }
    let (q, eQ) = matrixPower(hMatrix, exponent: 0, m: m, power: n)
    var value = q[(k - 1) * m + k - 1]
    var exponent = eQ
    for i in 1...n {
      value = value * Double(i) / nd
      if value < 1e-140 {
        value *= 1e140
        exponent -= 140
      }
    }
    return min(1, max(0, value * pow(10, Double(exponent))))
  }

  /// `A^power` with a base-10 exponent carried alongside to avoid overflow (MTW's `mPower`).
  private static func matrixPower(
    _ a: [Double], exponent eA: Int, m: Int, power n: Int
  ) -> ([Double], Int) {
    if n == 1 { return (a, eA) }
    let (half, eHalf) = matrixPower(a, exponent: eA, m: m, power: n / 2)
    var v = multiply(half, half, m: m)
    var eV = 2 * eHalf
    if n % 2 == 1 {
      v = multiply(a, v, m: m)
      eV += eA
    }
    if v[(m / 2) * m + (m / 2)] > 1e140 {
      for i in 0..<(m * m) { v[i] *= 1e-140 }
      eV += 140
    }
    return (v, eV)
  }

  private static func multiply(_ a: [Double], _ b: [Double], m: Int) -> [Double] {
    var c = [Double](repeating: 0, count: m * m)
    a.withUnsafeBufferPointer { pa in
      b.withUnsafeBufferPointer { pb in
        c.withUnsafeMutableBufferPointer { pc in
          for i in 0..<m {
            for l in 0..<m {
              let ail = pa[i * m + l]
              if ail == 0 { continue }
              for j in 0..<m { pc[i * m + j] += ail * pb[l * m + j] }
            }
          }
        }
      }
    }
    return c
  }
}
