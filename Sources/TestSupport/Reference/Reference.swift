/// Naive reference kernels, forward and backward: plain loops, `Double` accumulation, row-major
/// NCHW activations and OIHW weights. The yardstick the fast kernels are tested against.
///
/// Every function is generic over ``RefScalar``: run it on `Float` to compare with the engine,
/// on `Double` to take finite differences. Shape errors are programming errors in a test and
/// stop with a `precondition` message naming the shapes.
///
/// ```swift
/// let y = Reference.conv2d(x, weight: w, bias: b, stride: (2, 2), padding: (1, 1))
/// let g = Reference.conv2dBackward(input: x, weight: w, gradOutput: dy, stride: (2, 2),
///                                  padding: (1, 1))
/// ```
public enum Reference {
  /// The output extent of a sliding window: `(input + 2·padding − kernel) / stride + 1`
  /// (floor division, like PyTorch without `ceil_mode`).
  static func outputSize(input: Int, kernel: Int, stride: Int, padding: Int) -> Int {
    precondition(
      kernel >= 1 && stride >= 1 && padding >= 0,
      "Reference: kernel \(kernel), stride \(stride), padding \(padding): need kernel ≥ 1, "
        + "stride ≥ 1, padding ≥ 0")
    let span = input + 2 * padding - kernel
    precondition(
      span >= 0,
      "Reference: kernel \(kernel) is larger than input \(input) with padding \(padding)")
    return span / stride + 1
  }

  /// The four extents of a rank-4 tensor, checked.
  static func dims4<S>(_ t: RefTensor<S>, _ what: String) -> (Int, Int, Int, Int) {
    precondition(t.rank == 4, "Reference: \(what) must be rank 4 (NCHW), got shape \(t.shape)")
    return (t.shape[0], t.shape[1], t.shape[2], t.shape[3])
  }

  /// Stops unless `a` and `b` have the same shape.
  static func requireSameShape<S>(_ a: RefTensor<S>, _ b: RefTensor<S>, _ what: String) {
    precondition(
      a.shape == b.shape, "Reference: \(what): shapes \(a.shape) and \(b.shape) differ")
  }
}
