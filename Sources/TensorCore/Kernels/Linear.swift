/// A fully connected layer `y = x·Wᵀ + b` on plain tensors through OpenBLAS.
///
/// `x` is `[N, in]`, `W` is `[out, in]` (PyTorch's convention), `b` is `[out]`.
public enum LinearKernel {
  /// `y = x·Wᵀ + b`, written into `y` (`[N, out]`).
  public static func forward(_ x: Tensor, weight: Tensor, bias: Tensor?, into y: inout Tensor)
    throws
  {
    let (n, inF, outF) = try dims(x, weight)
    guard y.shape == [n, outF], y.isPlain else {
      throw TensorCoreError.shapeMismatch("linear output \(y.shape), expected [\(n), \(outF)]")
    }
    y.makeUnique()
    GEMM.multiply(
      transposeA: false, transposeB: true, m: n, n: outF, k: inF, a: x.storage.pointer, lda: inF,
      b: weight.storage.pointer, ldb: inF, c: y.storage.pointer, ldc: outF)
    if let bias {
      guard bias.shape == [outF] else {
        throw TensorCoreError.shapeMismatch("linear bias \(bias.shape), expected [\(outF)]")
      }
      let yp = y.storage.pointer
      let bp = bias.storage.pointer
      for i in 0..<n {
        for j in 0..<outF { yp[i * outF + j] += bp[j] }
      }
    }
  }

  /// Input gradient `dX = dY·W` (overwritten).
  public static func backwardData(_ diffY: Tensor, weight: Tensor, into diffX: inout Tensor) throws
  {
    let (outF, inF) = (weight.shape[0], weight.shape[1])
    let n = diffY.shape[0]
    guard diffY.shape == [n, outF], diffY.isPlain, weight.isPlain, diffX.shape == [n, inF],
      diffX.isPlain
    else {
      throw TensorCoreError.shapeMismatch("linear backward-data \(diffY.shape) → \(diffX.shape)")
    }
    diffX.makeUnique()
    GEMM.multiply(
      transposeA: false, transposeB: false, m: n, n: inF, k: outF, a: diffY.storage.pointer,
      lda: outF, b: weight.storage.pointer, ldb: inF, c: diffX.storage.pointer, ldc: inF)
  }

  /// Parameter gradients `dW = dYᵀ·x` and `db = Σ_rows dY` (overwritten).
  public static func backwardWeights(
    _ x: Tensor, diffY: Tensor, diffWeight: inout Tensor, diffBias: inout Tensor?
  ) throws {
    let n = x.shape[0]
    let (outF, inF) = (diffWeight.shape[0], diffWeight.shape[1])
    guard x.shape == [n, inF], diffY.shape == [n, outF], x.isPlain, diffY.isPlain,
      diffWeight.isPlain
    else {
      throw TensorCoreError.shapeMismatch("linear backward-weights shapes")
    }
    if let b = diffBias, b.shape != [outF] || !b.isPlain {
      throw TensorCoreError.shapeMismatch("linear bias gradient \(b.shape), expected [\(outF)]")
    }
    diffWeight.makeUnique()
    GEMM.multiply(
      transposeA: true, transposeB: false, m: outF, n: inF, k: n, a: diffY.storage.pointer,
      lda: outF, b: x.storage.pointer, ldb: inF, c: diffWeight.storage.pointer, ldc: inF)
    if diffBias != nil {
      // Non-nil: checked on the line above (an `inout` optional cannot be bound with `if var`).
      diffBias!.makeUnique()
      let db = diffBias!.storage.pointer
      let dy = diffY.storage.pointer
      for j in 0..<outF {
        var s: Double = 0
        for i in 0..<n { s += Double(dy[i * outF + j]) }
        db[j] = Float(s)
      }
    }
  }

  private static func dims(_ x: Tensor, _ w: Tensor) throws -> (Int, Int, Int) {
    guard x.isPlain, w.isPlain, x.shape.count == 2, w.shape.count == 2, x.shape[1] == w.shape[1]
    else {
      throw TensorCoreError.shapeMismatch("linear input \(x.shape) with weight \(w.shape)")
    }
    return (x.shape[0], x.shape[1], w.shape[0])
  }
}
