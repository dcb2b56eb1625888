extension Reference {
  /// 2-D max pooling of an `[N, C, H, W]` input; padded cells never win.
  ///
  /// `padding` must be at most half the kernel (PyTorch's rule), so every window holds at least
  /// one real cell. Output extents follow ``outputSize(input:kernel:stride:padding:)``.
  public static func maxPool2d<S>(
    _ x: RefTensor<S>, kernel: (Int, Int), stride: (Int, Int), padding: (Int, Int) = (0, 0)
  ) -> RefTensor<S> {
    let p = ReferencePoolGeometry(
      x, kernel: kernel, stride: stride, padding: padding, name: "maxPool2d")
    var out = RefTensor<S>.zeros([p.n, p.c, p.oh, p.ow])
    p.forEachOutput { n, c, oy, ox in
      let at = argmax(x, n, c, oy, ox, p)
      out[n, c, oy, ox] = x[n, c, at.0, at.1]
    }
    return out
  }

  /// The backward pass of ``maxPool2d(_:kernel:stride:padding:)``: each upstream gradient goes
  /// to the window's maximum. On ties it goes to the FIRST maximum in row-major scan order of
  /// the window (top row first, left to right), and only there.
  public static func maxPool2dBackward<S>(
    input x: RefTensor<S>, gradOutput dy: RefTensor<S>, kernel: (Int, Int), stride: (Int, Int),
    padding: (Int, Int) = (0, 0)
  ) -> RefTensor<S> {
    let p = ReferencePoolGeometry(
      x, kernel: kernel, stride: stride, padding: padding, name: "maxPool2dBackward")
    p.checkGradOutput(dy, name: "maxPool2dBackward")
    var dx = [Double](repeating: 0, count: x.count)
    p.forEachOutput { n, c, oy, ox in
      let at = argmax(x, n, c, oy, ox, p)
      dx[x.offset(n, c, at.0, at.1)] += dy[n, c, oy, ox].refDouble
    }
    return RefTensor(shape: x.shape, values: dx.map { S($0) })
  }

  /// The position of the first maximum (row-major scan) among the real cells of a window.
  private static func argmax<S>(
    _ x: RefTensor<S>, _ n: Int, _ c: Int, _ oy: Int, _ ox: Int, _ p: ReferencePoolGeometry
  ) -> (Int, Int) {
    var best: (Int, Int)? = nil
    var bestValue = -Double.infinity
    for (iy, ix) in p.windowCells(oy, ox) {
      let v = x[n, c, iy, ix].refDouble
      if best == nil || v > bestValue {
        best = (iy, ix)
        bestValue = v
      }
    }
    guard let best else { preconditionFailure("Reference: pooling window has no real cell") }
    return best
  }
}

/// The checked extents of a pooling window over an NCHW tensor.
struct ReferencePoolGeometry {
  let n: Int
  let c: Int
  let h: Int
  let w: Int
  let kh: Int
  let kw: Int
  let sh: Int
  let sw: Int
  let ph: Int
  let pw: Int
  let oh: Int
  let ow: Int

  init<S>(
    _ x: RefTensor<S>, kernel: (Int, Int), stride: (Int, Int), padding: (Int, Int), name: String
  ) {
    (n, c, h, w) = Reference.dims4(x, "\(name) input")
    (kh, kw) = kernel
    (sh, sw) = stride
    (ph, pw) = padding
    precondition(
      2 * ph <= kh && 2 * pw <= kw,
      "Reference.\(name): padding \(padding) must be at most half of kernel \(kernel)")
    oh = Reference.outputSize(input: h, kernel: kh, stride: sh, padding: ph)
    ow = Reference.outputSize(input: w, kernel: kw, stride: sw, padding: pw)
  }

  /// Calls `body(n, c, oy, ox)` for every output cell, in NCHW order.
  func forEachOutput(_ body: (Int, Int, Int, Int) -> Void) {
    for n in 0..<n {
      for c in 0..<c {
        for oy in 0..<oh {
          for ox in 0..<ow { body(n, c, oy, ox) }
        }
      }
    }
  }

  /// The real (unpadded) input cells `(iy, ix)` of output cell `(oy, ox)`'s window, in
  /// row-major order (top row first, left to right).
  func windowCells(_ oy: Int, _ ox: Int) -> [(Int, Int)] {
    var cells: [(Int, Int)] = []
    for ky in 0..<kh {
      let iy = oy * sh - ph + ky
      if iy < 0 || iy >= h { continue }
      for kx in 0..<kw {
        let ix = ox * sw - pw + kx
        if ix < 0 || ix >= w { continue }
        cells.append((iy, ix))
      }
    }
    return cells
  }

  /// Stops with a message unless `dy` has the output's shape `[N, C, OH, OW]`.
  func checkGradOutput<S>(_ dy: RefTensor<S>, name: String) {
    precondition(
      dy.shape == [n, c, oh, ow],
      "Reference.\(name): gradOutput has shape \(dy.shape), expected \([n, c, oh, ow])")
  }
}
