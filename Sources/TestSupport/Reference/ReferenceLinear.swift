extension Reference {
  /// The gradients of a fully connected layer with respect to its input, weight and bias.
  public struct LinearGradients<Scalar: RefScalar>: Equatable, Sendable {
    /// ∂L/∂x, `[N, in]`.
    public var input: RefTensor<Scalar>
    /// ∂L/∂W, `[out, in]`.
    public internal(set) var weight: RefTensor<Scalar>
    /// ∂L/∂b, `out` values (Σ of the upstream gradient over the batch).
    public var bias: [Scalar]
  }

  /// A fully connected layer `y = x·Wᵀ + b` with `x` `[N, in]`, `W` `[out, in]`, `b` `out`
  /// values or `nil`; the output is `[N, out]`.
  public static func linear<S>(_ x: RefTensor<S>, weight: RefTensor<S>, bias: [S]? = nil)
    -> RefTensor<S>
  {
    let (n, inF, outF) = linearDims(x, weight)
    if let bias {
      precondition(
        bias.count == outF, "Reference.linear: bias has \(bias.count) values, expected \(outF)")
    }
    var y = RefTensor<S>.zeros([n, outF])
    for i in 0..<n {
      for o in 0..<outF {
        var acc = bias?[o].refDouble ?? 0
        for k in 0..<inF { acc += x[i, k].refDouble * weight[o, k].refDouble }
        y[i, o] = S(acc)
      }
    }
    return y
  }

  /// The backward pass of ``linear(_:weight:bias:)``: `dx = dy·W`, `dW = dyᵀ·x`,
  /// `db = Σₙ dy`.
  public static func linearBackward<S>(
    input x: RefTensor<S>, weight: RefTensor<S>, gradOutput dy: RefTensor<S>
  ) -> LinearGradients<S> {
    let (n, inF, outF) = linearDims(x, weight)
    precondition(
      dy.shape == [n, outF],
      "Reference.linearBackward: gradOutput has shape \(dy.shape), expected \([n, outF])")
    var dx = RefTensor<S>.zeros(x.shape)
    for i in 0..<n {
      for k in 0..<inF {
        var acc = 0.0
        for o in 0..<outF { acc += dy[i, o].refDouble * weight[o, k].refDouble }
        dx[i, k] = S(acc)
      }
    }
    var dW = RefTensor<S>.zeros(weight.shape)
    for o in 0..<outF {
      for k in 0..<inF {
        var acc = 0.0
        for i in 0..<n { acc += dy[i, o].refDouble * x[i, k].refDouble }
        dW[o, k] = S(acc)
      }
    }
    let db = (0..<outF).map { o in S((0..<n).reduce(0.0) { $0 + dy[$1, o].refDouble }) }
    return LinearGradients(input: dx, weight: dW, bias: db)
  }

  private static func linearDims<S>(_ x: RefTensor<S>, _ weight: RefTensor<S>) -> (Int, Int, Int) {
    precondition(x.rank == 2, "Reference.linear: input must be [N, in], got \(x.shape)")
    precondition(
      weight.rank == 2 && weight.shape[1] == x.shape[1],
      "Reference.linear: weight must be [out, \(x.shape[1])], got \(weight.shape)")
    return (x.shape[0], x.shape[1], weight.shape[0])
  }
}
