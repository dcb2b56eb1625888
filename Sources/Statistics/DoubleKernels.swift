/// Small double-precision loops shared by the statistics and the weight criteria (FPGM,
/// Fermat, the geometric median): four partial sums, so that the loops vectorise.
///
/// ```swift
/// [1.0, 2.0].withUnsafeBufferPointer { a in
///   DoubleKernels.dot(a.baseAddress!, a.baseAddress!, 2)  // 5.0
/// }
/// ```
public enum DoubleKernels {
  /// `Σ a[i]·b[i]` for `i < count`, with four partial sums.
  public static func dot(_ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, _ count: Int)
    -> Double
  {
    var s0 = 0.0
    var s1 = 0.0
    var s2 = 0.0
    var s3 = 0.0
    var i = 0
    while i + 4 <= count {
      s0 += a[i] * b[i]
      s1 += a[i + 1] * b[i + 1]
      s2 += a[i + 2] * b[i + 2]
      s3 += a[i + 3] * b[i + 3]
      i += 4
    }
    while i < count {
      s0 += a[i] * b[i]
      i += 1
    }
    return (s0 + s1) + (s2 + s3)
  }

  /// `Σ (a[i] − b[i])²` for `i < count`, with four partial sums.
  public static func squaredDistance(
    _ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, _ count: Int
  ) -> Double {
    var s0 = 0.0
    var s1 = 0.0
    var s2 = 0.0
    var s3 = 0.0
    var i = 0
    while i + 4 <= count {
      let d0 = a[i] - b[i]
      let d1 = a[i + 1] - b[i + 1]
      let d2 = a[i + 2] - b[i + 2]
      let d3 = a[i + 3] - b[i + 3]
      s0 += d0 * d0
      s1 += d1 * d1
      s2 += d2 * d2
      s3 += d3 * d3
      i += 4
    }
    while i < count {
      let d = a[i] - b[i]
      s0 += d * d
      i += 1
    }
    return (s0 + s1) + (s2 + s3)
  }

  /// Throws `StatisticsError.nonFiniteValue` for the first NaN or infinite entry of `values`.
  public static func requireFinite(_ values: [Double], _ what: String) throws(StatisticsError) {
    for (index, value) in values.enumerated() where !value.isFinite {
      throw .nonFiniteValue(what: what, index: index)
    }
  }
}
