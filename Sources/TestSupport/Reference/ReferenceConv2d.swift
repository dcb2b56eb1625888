extension Reference {
  /// The gradients of a 2-D convolution with respect to its input, weight and bias.
  public struct Conv2dGradients<Scalar: RefScalar>: Equatable, Sendable {
    /// ∂L/∂input, shaped like the input `[N, C, H, W]`.
    public var input: RefTensor<Scalar>
    /// ∂L/∂weight, shaped like the weight `[O, C, KH, KW]`.
    public internal(set) var weight: RefTensor<Scalar>
    /// ∂L/∂bias, one value per output channel (Σ of the upstream gradient over N, H, W); ignore it
    /// when the convolution has no bias.
    public var bias: [Scalar]
  }

  /// A 2-D cross-correlation (what deep-learning libraries call convolution), groups = 1.
  ///
  /// `input` is `[N, C, H, W]`, `weight` is `[O, C, KH, KW]` (OIHW), `bias` has `O` values or is
  /// `nil`. Zero padding `(ph, pw)` on both sides. The output is `[N, O, OH, OW]` with
  /// `OH = (H + 2·ph − KH) / sh + 1` and likewise for `OW`.
  ///
  /// ```swift
  /// let y = Reference.conv2d(x, weight: w, bias: nil, stride: (1, 1), padding: (1, 1))
  /// ```
  public static func conv2d<S>(
    _ input: RefTensor<S>, weight: RefTensor<S>, bias: [S]? = nil, stride: (Int, Int) = (1, 1),
    padding: (Int, Int) = (0, 0)
  ) -> RefTensor<S> {
    let g = ConvGeometry(input: input, weight: weight, stride: stride, padding: padding)
    if let bias {
      precondition(
        bias.count == g.o, "Reference.conv2d: bias has \(bias.count) values, expected \(g.o)")
    }
    var out = RefTensor<S>.zeros([g.n, g.o, g.oh, g.ow])
    for n in 0..<g.n {
      for o in 0..<g.o {
        for oy in 0..<g.oh {
          for ox in 0..<g.ow {
            var acc = bias?[o].refDouble ?? 0
            g.forEachTap(oy, ox) { c, ky, kx, iy, ix in
              acc += input[n, c, iy, ix].refDouble * weight[o, c, ky, kx].refDouble
            }
            out[n, o, oy, ox] = S(acc)
          }
        }
      }
    }
    return out
  }

  /// The backward pass of ``conv2d(_:weight:bias:stride:padding:)``: given the upstream
  /// gradient `gradOutput` (`[N, O, OH, OW]`), returns ∂L/∂input, ∂L/∂weight and ∂L/∂bias.
  public static func conv2dBackward<S>(
    input: RefTensor<S>, weight: RefTensor<S>, gradOutput: RefTensor<S>,
    stride: (Int, Int) = (1, 1), padding: (Int, Int) = (0, 0)
  ) -> Conv2dGradients<S> {
    let g = ConvGeometry(input: input, weight: weight, stride: stride, padding: padding)
    precondition(
      gradOutput.shape == [g.n, g.o, g.oh, g.ow],
      "Reference.conv2dBackward: gradOutput has shape \(gradOutput.shape), expected "
        + "\([g.n, g.o, g.oh, g.ow])")
    var dX = [Double](repeating: 0, count: input.count)
    var dW = [Double](repeating: 0, count: weight.count)
    var dB = [Double](repeating: 0, count: g.o)
    for n in 0..<g.n {
      for o in 0..<g.o {
        for oy in 0..<g.oh {
          for ox in 0..<g.ow {
            let dy = gradOutput[n, o, oy, ox].refDouble
            dB[o] += dy
            g.forEachTap(oy, ox) { c, ky, kx, iy, ix in
              let xi = input.offset(n, c, iy, ix)
              let wi = weight.offset(o, c, ky, kx)
              dX[xi] += dy * weight.values[wi].refDouble
              dW[wi] += dy * input.values[xi].refDouble
            }
          }
        }
      }
    }
    return Conv2dGradients(
      input: RefTensor(shape: input.shape, values: dX.map { S($0) }),
      weight: RefTensor(shape: weight.shape, values: dW.map { S($0) }),
      bias: dB.map { S($0) })
  }
}

/// The checked extents of a convolution.
private struct ConvGeometry {
  let n: Int
  let c: Int
  let h: Int
  let w: Int
  let o: Int
  let kh: Int
  let kw: Int
  let sh: Int
  let sw: Int
  let ph: Int
  let pw: Int
  let oh: Int
  let ow: Int

  init<S>(input: RefTensor<S>, weight: RefTensor<S>, stride: (Int, Int), padding: (Int, Int)) {
    (n, c, h, w) = Reference.dims4(input, "conv2d input")
    let wc: Int
    (o, wc, kh, kw) = Reference.dims4(weight, "conv2d weight")
    precondition(
      wc == c,
      "Reference.conv2d: weight \(weight.shape) expects \(wc) input channels, input \(input.shape) "
        + "has \(c)")
    (sh, sw) = stride
    (ph, pw) = padding
    oh = Reference.outputSize(input: h, kernel: kh, stride: sh, padding: ph)
    ow = Reference.outputSize(input: w, kernel: kw, stride: sw, padding: pw)
  }

  /// Calls `body(c, ky, kx, iy, ix)` for every input channel and kernel tap of output cell
  /// `(oy, ox)` that falls on a real (unpadded) input cell `(iy, ix)`.
  func forEachTap(_ oy: Int, _ ox: Int, _ body: (Int, Int, Int, Int, Int) -> Void) {
    for c in 0..<c {
      for ky in 0..<kh {
        let iy = oy * sh - ph + ky
        if iy < 0 || iy >= h { continue }
        for kx in 0..<kw {
          let ix = ox * sw - pw + kx
          if ix < 0 || ix >= w { continue }
          body(c, ky, kx, iy, ix)
        }
      }
    }
  }
}
