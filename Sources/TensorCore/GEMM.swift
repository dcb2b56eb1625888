import CBLAS

/// Single-precision matrix multiply through OpenBLAS: `C = α·op(A)·op(B) + β·C`, row-major.
///
/// `A` is `m×k` after `op`, `B` is `k×n` after `op`, `C` is `m×n`. Leading dimensions are the
/// row lengths of the stored (untransposed) matrices.
public enum GEMM {
  /// Calls `cblas_sgemm` on raw buffers.
  public static func multiply(
    transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Float = 1,
    a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int, beta: Float = 0,
    c: UnsafeMutablePointer<Float>, ldc: Int
  ) {
    cblas_sgemm(
      CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
      blasint(m), blasint(n), blasint(k), alpha, a, blasint(lda), b, blasint(ldb), beta, c,
      blasint(ldc))
  }

  /// `A·B` (or with transposes) of two plain 2-D tensors, as a new plain tensor.
  public static func matmul(
    _ a: Tensor, _ b: Tensor, transposeA: Bool = false, transposeB: Bool = false
  ) -> Tensor {
    precondition(
      a.isPlain && b.isPlain && a.shape.count == 2 && b.shape.count == 2, "matmul of 2-D")
    let m = transposeA ? a.shape[1] : a.shape[0]
    let k = transposeA ? a.shape[0] : a.shape[1]
    let kb = transposeB ? b.shape[1] : b.shape[0]
    let n = transposeB ? b.shape[0] : b.shape[1]
    precondition(k == kb, "matmul inner dims \(k) and \(kb) differ")
    var c = Tensor(zeros: [m, n])
    c.makeUnique()
    multiply(
      transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, a: a.storage.pointer,
      lda: a.shape[1], b: b.storage.pointer, ldb: b.shape[1], c: c.storage.pointer, ldc: n)
    return c
  }
}
