import TensorCore
import TestSupport
import Testing

@Suite("GEMM")
struct GEMMTests {
  /// `op(A)·op(B)` by a plain Double loop.
  static func naive(_ a: Tensor, _ b: Tensor, transposeA: Bool, transposeB: Bool) -> [Double] {
    let m = transposeA ? a.shape[1] : a.shape[0]
    let k = transposeA ? a.shape[0] : a.shape[1]
    let n = transposeB ? b.shape[0] : b.shape[1]
    var c = [Double](repeating: 0, count: m * n)
    for i in 0..<m {
      for j in 0..<n {
        var s = 0.0
        for p in 0..<k {
          let x = transposeA ? a[p, i] : a[i, p]
          let y = transposeB ? b[j, p] : b[p, j]
          s += Double(x) * Double(y)
        }
        c[i * n + j] = s
      }
    }
    return c
  }

  @Test(
    "matmul with every transpose combination matches a naive product",
    arguments: [(false, false), (true, false), (false, true), (true, true)])
  func matmulMatchesNaive(transposeA: Bool, transposeB: Bool) {
    var rng = SeededRNG(seed: 121)
    let (m, k, n) = (5, 7, 3)
    let a = normalTensor(transposeA ? [k, m] : [m, k], rng: &rng)
    let b = normalTensor(transposeB ? [n, k] : [k, n], rng: &rng)
    let c = GEMM.matmul(a, b, transposeA: transposeA, transposeB: transposeB)
    #expect(c.shape == [m, n])
    let expected = Self.naive(a, b, transposeA: transposeA, transposeB: transposeB)
    #expect(closeness(c.scalars, expected, rtol: Tolerance.rtol, atol: Tolerance.atol) == nil)
  }

  @Test("multiply honours alpha and beta")
  func multiplyAlphaBeta() {
    var rng = SeededRNG(seed: 122)
    let a = normalTensor([4, 6], rng: &rng)
    let b = normalTensor([6, 3], rng: &rng)
    let c0 = normalTensor([4, 3], rng: &rng)
    var c = c0
    c.withUnsafeMutableBufferPointer { out in
      a.withUnsafeBufferPointer { ap in
        b.withUnsafeBufferPointer { bp in
          GEMM.multiply(
            transposeA: false, transposeB: false, m: 4, n: 3, k: 6, alpha: 0.5,
            a: ap.baseAddress!, lda: 6, b: bp.baseAddress!, ldb: 3, beta: 2,
            c: out.baseAddress!, ldc: 3)
        }
      }
    }
    let product = Self.naive(a, b, transposeA: false, transposeB: false)
    let expected = zip(product, c0.scalars).map { 0.5 * $0 + 2 * Double($1) }
    #expect(closeness(c.scalars, expected, rtol: Tolerance.rtol, atol: Tolerance.atol) == nil)
    #expect(c0.scalars != c.scalars, "c0 must be untouched (copy-on-write)")
  }
}
