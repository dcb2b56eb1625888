extension Reference {
  /// 2-D average pooling of an `[N, C, H, W]` input.
  ///
  /// With `countIncludePad` (PyTorch's default) every window divides by `KH·KW`, padded zeros
  /// included; without it, by the number of real cells in the window. `padding` must be at most
  /// half the kernel.
  public static func avgPool2d<S>(
    _ x: RefTensor<S>, kernel: (Int, Int), stride: (Int, Int), padding: (Int, Int) = (0, 0),
    countIncludePad: Bool = true
  ) -> RefTensor<S> {
    let p = ReferencePoolGeometry(
      x, kernel: kernel, stride: stride, padding: padding, name: "avgPool2d")
    var out = RefTensor<S>.zeros([p.n, p.c, p.oh, p.ow])
    p.forEachOutput { n, c, oy, ox in
      let cells = p.windowCells(oy, ox)
      var sum = 0.0
      for (iy, ix) in cells { sum += x[n, c, iy, ix].refDouble }
      let divisor = countIncludePad ? p.kh * p.kw : cells.count
      out[n, c, oy, ox] = S(sum / Double(divisor))
    }
    return out
  }

  /// The backward pass of ``avgPool2d(_:kernel:stride:padding:countIncludePad:)``: each
  /// upstream gradient is spread evenly (÷ the same divisor) over the real cells of its window.
  public static func avgPool2dBackward<S>(
    inputShape: [Int], gradOutput dy: RefTensor<S>, kernel: (Int, Int), stride: (Int, Int),
    padding: (Int, Int) = (0, 0), countIncludePad: Bool = true
  ) -> RefTensor<S> {
    let shapeOnly = RefTensor<S>.zeros(inputShape)
    let p = ReferencePoolGeometry(
      shapeOnly, kernel: kernel, stride: stride, padding: padding, name: "avgPool2dBackward")
    p.checkGradOutput(dy, name: "avgPool2dBackward")
    var dx = [Double](repeating: 0, count: shapeOnly.count)
    p.forEachOutput { n, c, oy, ox in
      let cells = p.windowCells(oy, ox)
      let divisor = countIncludePad ? p.kh * p.kw : cells.count
      let g = dy[n, c, oy, ox].refDouble / Double(divisor)
      for (iy, ix) in cells { dx[shapeOnly.offset(n, c, iy, ix)] += g }
    }
    return RefTensor(shape: inputShape, values: dx.map { S($0) })
  }

  /// Global average pooling: `[N, C, H, W]` → `[N, C]`, the mean over H and W.
  public static func globalAvgPool<S>(_ x: RefTensor<S>) -> RefTensor<S> {
    let (n, c, h, w) = dims4(x, "globalAvgPool input")
    var out = RefTensor<S>.zeros([n, c])
    for i in 0..<n {
      for ch in 0..<c {
        var sum = 0.0
        for y in 0..<h {
          for xx in 0..<w { sum += x[i, ch, y, xx].refDouble }
        }
        out[i, ch] = S(sum / Double(h * w))
      }
    }
    return out
  }

  /// The backward pass of ``globalAvgPool(_:)``: `dx[n, c, y, x] = dy[n, c] / (H·W)`.
  public static func globalAvgPoolBackward<S>(inputShape: [Int], gradOutput dy: RefTensor<S>)
    -> RefTensor<S>
  {
    var dx = RefTensor<S>.zeros(inputShape)
    let (n, c, h, w) = dims4(dx, "globalAvgPoolBackward input")
    precondition(
      dy.shape == [n, c],
      "Reference.globalAvgPoolBackward: gradOutput has shape \(dy.shape), expected \([n, c])")
    for i in 0..<n {
      for ch in 0..<c {
        let g = S(dy[i, ch].refDouble / Double(h * w))
        for y in 0..<h {
          for xx in 0..<w { dx[i, ch, y, xx] = g }
        }
      }
    }
    return dx
  }

}
