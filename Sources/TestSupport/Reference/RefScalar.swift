/// A scalar type the reference kernels run on: `Float` (the engine's precision) or `Double`
/// (for finite-difference checks, where rounding of the outputs would swamp the difference).
///
/// Whatever the scalar, the kernels accumulate in `Double`; only their inputs and outputs are
/// `Scalar`.
public protocol RefScalar: BinaryFloatingPoint, Sendable, CustomStringConvertible {
  /// The value widened (exactly) to `Double`.
  var refDouble: Double { get }
}

extension Float: RefScalar {
  /// The value widened (exactly) to `Double`.
  public var refDouble: Double { Double(self) }
}

extension Double: RefScalar {
  /// The value itself.
  public var refDouble: Double { self }
}
