/// Basic descriptive statistics in double precision (two-pass formulas).
public enum Descriptive {
  /// The arithmetic mean `Σx/n`; 0 for an empty array.
  public static func mean(_ x: [Double]) -> Double {
    guard !x.isEmpty else { return 0 }
    var sum = 0.0
    for v in x { sum += v }
    return sum / Double(x.count)
  }

  /// The sample variance `Σ(x − x̄)²/(n − 1)` (Bessel-corrected); 0 when `n < 2`.
  static func sampleVariance(_ x: [Double]) -> Double {
    guard x.count >= 2 else { return 0 }
    let m = mean(x)
    var ss = 0.0
    for v in x { ss += (v - m) * (v - m) }
    return ss / Double(x.count - 1)
  }

  /// The sample standard deviation `sqrt(Σ(x − x̄)²/(n − 1))`; 0 when `n < 2`.
  public static func sampleStandardDeviation(_ x: [Double]) -> Double {
    sampleVariance(x).squareRoot()
  }

  /// The central moments `m_p = Σ(x − x̄)^p / n` for p = 2, 3, 4 (biased, as in the
  /// D'Agostino tests and `scipy.stats.skew` / `kurtosis` with `bias=True`).
  static func centralMoments(_ x: [Double]) -> (m2: Double, m3: Double, m4: Double) {
    guard !x.isEmpty else { return (0, 0, 0) }
    let m = mean(x)
    var s2 = 0.0
    var s3 = 0.0
    var s4 = 0.0
    for v in x {
      let d = v - m
      let d2 = d * d
      s2 += d2
      s3 += d2 * d
      s4 += d2 * d2
    }
    let n = Double(x.count)
    return (s2 / n, s3 / n, s4 / n)
  }
}
