extension Reference {
  /// The gradients of a binary element-wise operation with respect to both operands.
  public struct BinaryGradients<Scalar: RefScalar>: Equatable, Sendable {
    /// ∂L/∂lhs.
    public internal(set) var lhs: RefTensor<Scalar>
    /// ∂L/∂rhs.
    public internal(set) var rhs: RefTensor<Scalar>
  }

  /// `lhs + rhs` element-wise (same shapes, no broadcasting), summed in `Double`.
  public static func add<S>(_ lhs: RefTensor<S>, _ rhs: RefTensor<S>) -> RefTensor<S> {
    requireSameShape(lhs, rhs, "add")
    return RefTensor(
      shape: lhs.shape,
      values: zip(lhs.values, rhs.values).map { S($0.0.refDouble + $0.1.refDouble) })
  }

  /// The backward pass of ``add(_:_:)``: both operands receive the upstream gradient.
  public static func addBackward<S>(gradOutput dy: RefTensor<S>) -> BinaryGradients<S> {
    BinaryGradients(lhs: dy, rhs: dy)
  }

  /// `max(0, lhs + rhs)` element-wise (the residual join of a ResNet block).
  public static func addReLU<S>(_ lhs: RefTensor<S>, _ rhs: RefTensor<S>) -> RefTensor<S> {
    relu(add(lhs, rhs))
  }

  /// The backward pass of ``addReLU(_:_:)``: both operands receive `dy` where
  /// `lhs + rhs > 0`, else 0.
  public static func addReLUBackward<S>(
    lhs: RefTensor<S>, rhs: RefTensor<S>, gradOutput dy: RefTensor<S>
  ) -> BinaryGradients<S> {
    let sum = add(lhs, rhs)
    requireSameShape(sum, dy, "addReLUBackward gradOutput vs operands")
    let g = RefTensor(
      shape: dy.shape,
      values: zip(lhs.values, rhs.values).enumerated().map { i, pair in
        pair.0.refDouble + pair.1.refDouble > 0 ? dy.values[i] : 0
      })
    return BinaryGradients(lhs: g, rhs: g)
  }
}
