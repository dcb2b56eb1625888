import CBLAS

/// Numerical rank of small single-precision matrices by LAPACK's divide-and-conquer SVD
/// (`LAPACKE_sgesdd`, singular values only), with NumPy's `matrix_rank` rule: the number of
/// singular values greater than `σ_max · max(rows, cols) · ε`, `ε` = Float's machine epsilon
/// (2⁻²³), the rule NumPy applies to float32 input. An all-zero matrix has rank 0.
///
/// Reuses its buffers: make one per thread of work.
struct MatrixRank {
  let rows: Int
  let cols: Int
  private var work: [Float]
  private var singular: [Float]
  /// Left and right singular vectors' buffers: not computed (`jobz = 'N'`), but LAPACKE checks
  /// their leading dimensions in row-major order.
  private var u: [Float]
  private var vt: [Float]

  /// A rank computer for `rows × cols` matrices.
  init(rows: Int, cols: Int) {
    self.rows = rows
    self.cols = cols
    work = Array(repeating: 0, count: rows * cols)
    singular = Array(repeating: 0, count: min(rows, cols))
    u = Array(repeating: 0, count: rows * rows)
    vt = Array(repeating: 0, count: cols * cols)
  }

  /// The rank of the row-major matrix at `values` (`rows · cols` entries); nil if LAPACK fails
  /// (for example on NaN input).
  mutating func rank(_ values: UnsafePointer<Float>) -> Int? {
    let (m, n) = (rows, cols)
    var allZero = true
    for i in 0..<(m * n) where values[i] != 0 {
      allZero = false
      break
    }
    if allZero { return 0 }
    if m == 1 || n == 1 { return 1 }
    // The buffers below hold m·n ≥ 4 values (m, n ≥ 2 here), so their base addresses exist.
    let info: Int32 = work.withUnsafeMutableBufferPointer { a in
      a.baseAddress!.update(from: values, count: m * n)
      return singular.withUnsafeMutableBufferPointer { s in
        u.withUnsafeMutableBufferPointer { up in
          vt.withUnsafeMutableBufferPointer { vp in
            LAPACKE_sgesdd(
              LAPACK_ROW_MAJOR, CChar(UInt8(ascii: "N")), Int32(m), Int32(n), a.baseAddress,
              Int32(n), s.baseAddress, up.baseAddress, Int32(m), vp.baseAddress, Int32(n))
          }
        }
      }
    }
    guard info == 0 else { return nil }
    let largest = singular.max() ?? 0
    let tolerance = largest * Float(max(m, n)) * Float.ulpOfOne
    return singular.reduce(0) { $0 + ($1 > tolerance ? 1 : 0) }
  }
}
