extension Reference {
  /// `y = max(0, x)` element-wise, any shape.
  public static func relu<S>(_ x: RefTensor<S>) -> RefTensor<S> {
    RefTensor(shape: x.shape, values: x.values.map { $0 > 0 ? $0 : 0 })
  }

  /// The backward pass of ``relu(_:)``: `dx = dy` where `x > 0`, else 0 (zero at exactly 0,
  /// like PyTorch).
  public static func reluBackward<S>(input x: RefTensor<S>, gradOutput dy: RefTensor<S>)
    -> RefTensor<S>
  {
    requireSameShape(x, dy, "reluBackward gradOutput vs input")
    return RefTensor(
      shape: x.shape, values: zip(x.values, dy.values).map { $0.0 > 0 ? $0.1 : 0 })
  }
}
