import NeuralNet
import TensorCore

/// Layer-wise relevance propagation (LRP) through a ``Network``'s graph, as the feature
/// relevance score (FRS) code computes it (ALGORITHMS.md §5.3; Aketi et al. 2020, whose
/// relevance code follows Salient-Relevance-Propagation). Plain loops in `Double`, for the few
/// small batches a criterion reads.
///
/// Starting from a relevance at the logits (the one-hot label), nodes are visited in reverse
/// graph order; a node's output relevance is the sum of what its consumers sent back. Rules, for
/// an input activation `x` (read from the forward pass) and output relevance `R`:
/// - **conv, linear** — the αβ rule with `α = 2`, `β = 1`, bias ignored:
///   `R_i = x_i Σ_j (α W⁺_ij R_j / z⁺_j − β W⁻_ij R_j / z⁻_j)`, `z^± = Σ_i x_i W^±_ij`, where
///   `W⁺ = max(W, 0)`, `W⁻ = min(W, 0)`. The code's `+1e-9` stabiliser is applied away from zero
///   here (`z⁺ + ε`, `z⁻ − ε`, ε = 1e-9) so no denominator can vanish, and `W^±` are not clamped
///   at ±1e-9 as in the code; both change values by about 1e-9 relative.
///   Conservation: `Σ_i R_i = Σ_j R_j (α z⁺_j/(z⁺_j+ε) − β z⁻_j/(z⁻_j−ε)) ≈ (α − β) Σ_j R_j =
///   Σ_j R_j` for every output with both positive and negative contributions (`z⁺ > 0 > z⁻`);
///   an output without negative contributions (`z⁻ = 0`) sends `α R_j`, without positive ones
///   `−β R_j` (the αβ rule's known departure from conservation).
/// - **batch norm, ReLU, flatten** — relevance passes through unchanged (as in the code; BN is
///   not folded into the conv).
/// - **max pool** — each output's relevance goes to the arg-max of its window (first maximum;
///   padding never wins), as the code's max-unpool does.
/// - **average pool, global pool** — proportional to the contributions:
///   `R_i = Σ_j (x_i/k²) R_j / (y_j ± ε)` with `y_j` the window mean (padding counted, `k²` the
///   window size). This conserves relevance; the code's `x · upsample(R/y)` omits the `1/k²`,
///   which scales every layer below by the same constant `k²` and so vanishes in the per-layer
///   L2 normalisation of the FRS.
/// - **add** `y = a + b` — split in proportion to the contributions: `R_a = a R/(y ± ε)`,
///   `R_b = b R/(y ± ε)` (`ResConnect_split`).
/// - **option-A shortcut** — each kept input channel receives its mapped output channel's
///   relevance at the subsampled positions; padded channels carry none.
///
/// Nothing is propagated into the image.
struct RelevancePropagation {
  /// The network whose weights are used.
  let network: Network
  /// Per-sample shapes of every node output (and the input).
  let shapes: [String: [Int]]
  /// α of the αβ rule (β = α − 1).
  let alpha: Double
  /// The stabiliser.
  let epsilon: Double
  /// Criterion name for errors.
  let criterion: String

  init(network: Network, alpha: Double = 2, epsilon: Double = 1e-9, criterion: String) throws {
    self.network = network
    self.shapes = try network.outputShapes()
    self.alpha = alpha
    self.epsilon = epsilon
    self.criterion = criterion
  }

  /// `z` pushed ε away from zero.
  @inline(__always)
  func stabilised(_ z: Double) -> Double { z >= 0 ? z + epsilon : z - epsilon }

  /// Propagates `outputRelevance` (`batch × classes`) down the graph and returns the relevance
  /// at the output of every node in `keep`, each `batch × C × H × W` (plain NCHW).
  ///
  /// - Parameter activation: the forward output of a node, `batch ×` its per-sample shape,
  ///   plain NCHW (called only for the inputs of conv, linear, pool and add nodes).
  /// - Parameter context: when given, convolutions use the engine's oneDNN kernels (two
  ///   forward and two backward-data passes per conv, ``fastConvRule``) instead of the plain
  ///   loops of ``convRule`` — the same rule, in Float.
  func propagate(
    batch: Int, outputRelevance: [Double], keep: Set<String>, context: ComputeContext? = nil,
    activation: (String) throws -> [Float]
  ) throws -> [String: [Double]] {
    var relevance: [String: [Double]] = [network.outputName: outputRelevance]
    var kept: [String: [Double]] = [:]
    func send(_ name: String, _ r: [Double]) {
      if name == Network.inputName { return }
      if var existing = relevance.removeValue(forKey: name) {
        for i in existing.indices { existing[i] += r[i] }
        relevance[name] = existing
      } else {
        relevance[name] = r
      }
    }
    for node in network.nodes.reversed() {
      guard let r = relevance.removeValue(forKey: node.name) else { continue }
      if keep.contains(node.name) { kept[node.name] = r }
      let input = node.inputs[0]
      if input == Network.inputName && node.operation != .add { continue }
      guard let inShape = shapes[input], let outShape = shapes[node.name] else {
        throw CriterionError.unsupportedOperation(
          criterion: criterion, node: node.name, kind: "a node without an output shape")
      }
      switch node.operation {
      case .batchNorm, .relu, .flatten:
        send(input, r)
      case .conv(let c):
        let x = try activation(input)
        let w = try weights(of: node.name)
        if let context {
          send(
            input,
            try fastConvRule(
              x: x, w: w, r: r, spec: c, batch: batch, inShape: inShape, context: context))
        } else {
          send(
            input,
            convRule(
              x: x, w: w, r: r, spec: c, batch: batch, inShape: inShape,
              outShape: outShape))
        }
      case .linear(let l):
        let x = try activation(input)
        let w = try weights(of: node.name)
        send(input, linearRule(x: x, w: w, r: r, spec: l, batch: batch))
      case .maxPool(let p):
        let x = try activation(input)
        send(
          input,
          maxPoolRule(
            x: x, r: r, pool: p, batch: batch, inShape: inShape,
            outShape: outShape))
      case .avgPool(let p):
        let x = try activation(input)
        send(
          input,
          avgPoolRule(
            x: x, r: r, pool: p, batch: batch, inShape: inShape,
            outShape: outShape))
      case .globalAvgPool:
        let x = try activation(input)
        send(input, globalPoolRule(x: x, r: r, batch: batch, inShape: inShape))
      case .add:
        let names = node.inputs
        let a = names[0] == Network.inputName ? nil : try activation(names[0])
        let b = names[1] == Network.inputName ? nil : try activation(names[1])
        var ra = [Double](repeating: 0, count: r.count)
        var rb = [Double](repeating: 0, count: r.count)
        for i in r.indices {
          let av = Double(a?[i] ?? 0)
          let bv = Double(b?[i] ?? 0)
          let s = r[i] / stabilised(av + bv)
          ra[i] = av * s
          rb[i] = bv * s
        }
        if a != nil { send(names[0], ra) }
        if b != nil { send(names[1], rb) }
      case .shortcutPad(let s):
        send(
          input,
          shortcutRule(
            r: r, spec: s, batch: batch, inShape: inShape,
            outShape: outShape))
      }
    }
    return kept
  }

  /// The αβ rule for a fully connected layer (`w` is `[out, in]`).
  func linearRule(x: [Float], w: [Float], r: [Double], spec: LinearSpec, batch: Int)
    -> [Double]
  {
    let (nIn, nOut) = (spec.inFeatures, spec.outFeatures)
    let beta = alpha - 1
    var result = [Double](repeating: 0, count: batch * nIn)
    for s in 0..<batch {
      for j in 0..<nOut {
        var zp = 0.0
        var zn = 0.0
        for i in 0..<nIn {
          let wx = Double(w[j * nIn + i]) * Double(x[s * nIn + i])
          let wv = w[j * nIn + i]
          if wv > 0 { zp += wx } else if wv < 0 { zn += wx }
        }
        let sp = alpha * r[s * nOut + j] / stabilised(zp)
        let sn = beta * r[s * nOut + j] / stabilised(zn)
        for i in 0..<nIn {
          let wv = Double(w[j * nIn + i])
          let xv = Double(x[s * nIn + i])
          if wv > 0 {
            result[s * nIn + i] += xv * wv * sp
          } else if wv < 0 {
            result[s * nIn + i] -= xv * wv * sn
          }
        }
      }
    }
    return result
  }

  /// The αβ rule for a convolution through the engine's kernels:
  /// `z^± = conv(x, W^±)`, `s⁺ = α R / (z⁺ + ε)`, `s⁻ = β R / (z⁻ − ε)`, and
  /// `R_in = x ⊙ (convᵀ(s⁺, W⁺) − convᵀ(s⁻, W⁻))`, where `convᵀ` is the convolution's
  /// backward-data pass — the same sums as ``convRule``, evaluated by oneDNN in Float.
  func fastConvRule(
    x: [Float], w: [Float], r: [Double], spec c: ConvSpec, batch: Int, inShape: [Int],
    context: ComputeContext
  ) throws -> [Double] {
    let g = ConvGeometry(
      batch: batch, inChannels: c.inChannels, outChannels: c.outChannels, height: inShape[1],
      width: inShape[2], kernel: c.kernel, stride: c.stride, padding: c.padding)
    return try context.perform {
      let src = MemoryDescriptor.nChw16c(g.srcDims)
      let kernel = try Conv2DKernel(context: context, geometry: g, src: src, training: true)
      let xs = try context.reorder(Tensor(shape: g.srcDims, scalars: x), to: src)
      let wPos = Tensor(shape: g.weightDims, scalars: w.map { max($0, 0) })
      let wNeg = Tensor(shape: g.weightDims, scalars: w.map { min($0, 0) })
      var z = Tensor(zeros: kernel.dstDescriptor)
      try kernel.forward(xs, weight: wPos, bias: nil, into: &z)
      let zp = try context.plain(z).scalars
      try kernel.forward(xs, weight: wNeg, bias: nil, into: &z)
      let zn = try context.plain(z).scalars
      let beta = alpha - 1
      var sp = [Float](repeating: 0, count: zp.count)
      var sn = sp
      for j in zp.indices {
        sp[j] = Float(alpha * r[j] / stabilised(Double(zp[j])))
        sn[j] = Float(beta * r[j] / stabilised(Double(zn[j])))
      }
      var back = Tensor(zeros: src)
      try kernel.backwardData(
        try context.reorder(Tensor(shape: g.dstDims, scalars: sp), to: kernel.dstDescriptor),
        weight: wPos, into: &back)
      let cp = try context.plain(back).scalars
      try kernel.backwardData(
        try context.reorder(Tensor(shape: g.dstDims, scalars: sn), to: kernel.dstDescriptor),
        weight: wNeg, into: &back)
      let cn = try context.plain(back).scalars
      return x.indices.map { Double(x[$0]) * (Double(cp[$0]) - Double(cn[$0])) }
    }
  }

  /// The αβ rule for a convolution (`w` is OIHW), in plain loops and Double: the reference for
  /// ``fastConvRule``.
  func convRule(
    x: [Float], w: [Float], r: [Double], spec c: ConvSpec, batch: Int, inShape: [Int],
    outShape: [Int]
  ) -> [Double] {
    let (ci, h, wd) = (inShape[0], inShape[1], inShape[2])
    let (co, oh, ow) = (outShape[0], outShape[1], outShape[2])
    let k = c.kernel
    let beta = alpha - 1
    let inPlane = h * wd
    let outPlane = oh * ow
    var result = [Double](repeating: 0, count: batch * ci * inPlane)
    var zp = [Double](repeating: 0, count: outPlane)
    var zn = [Double](repeating: 0, count: outPlane)
    // Visits every (output position, input position, weight) triple of output channel `o`.
    func forEachTap(_ o: Int, _ body: (Int, Int, Double) -> Void) {
      for i in 0..<ci {
        for u in 0..<k {
          for v in 0..<k {
            let wv = Double(w[((o * ci + i) * k + u) * k + v])
            if wv == 0 { continue }
            for y in 0..<oh {
              let iy = y * c.stride - c.padding + u
              if iy < 0 || iy >= h { continue }
              for xo in 0..<ow {
                let ix = xo * c.stride - c.padding + v
                if ix < 0 || ix >= wd { continue }
                body(y * ow + xo, i * inPlane + iy * wd + ix, wv)
              }
            }
          }
        }
      }
    }
    for s in 0..<batch {
      let xBase = s * ci * inPlane
      for o in 0..<co {
        for j in 0..<outPlane {
          zp[j] = 0
          zn[j] = 0
        }
        forEachTap(o) { out, inp, wv in
          let contribution = wv * Double(x[xBase + inp])
          if wv > 0 { zp[out] += contribution } else { zn[out] += contribution }
        }
        let rBase = (s * co + o) * outPlane
        for j in 0..<outPlane {
          zp[j] = alpha * r[rBase + j] / stabilised(zp[j])
          zn[j] = beta * r[rBase + j] / stabilised(zn[j])
        }
        forEachTap(o) { out, inp, wv in
          let xv = Double(x[xBase + inp])
          if wv > 0 {
            result[xBase + inp] += xv * wv * zp[out]
          } else {
            result[xBase + inp] -= xv * wv * zn[out]
          }
        }
      }
    }
    return result
  }

  /// Calls `body` with the in-plane index `iy·w + ix` of every tap of output position `(y, x)`'s
  /// pooling window that falls inside the `height × width` input (padding taps are skipped).
  private func forEachTap(
    of p: PoolSpec, y: Int, x: Int, height h: Int, width w: Int, _ body: (Int) -> Void
  ) {
    for u in 0..<p.kernel {
      let iy = y * p.stride - p.padding + u
      if iy < 0 || iy >= h { continue }
      for v in 0..<p.kernel {
        let ix = x * p.stride - p.padding + v
        if ix < 0 || ix >= w { continue }
        body(iy * w + ix)
      }
    }
  }

  /// Winner-takes-all through a max pool.
  func maxPoolRule(
    x: [Float], r: [Double], pool p: PoolSpec, batch: Int, inShape: [Int], outShape: [Int]
  ) -> [Double] {
    let (c, h, w) = (inShape[0], inShape[1], inShape[2])
    let (oh, ow) = (outShape[1], outShape[2])
    var result = [Double](repeating: 0, count: batch * c * h * w)
    for plane in 0..<(batch * c) {
      let inBase = plane * h * w
      for y in 0..<oh {
        for xo in 0..<ow {
          var best = -1
          var bestValue = -Float.infinity
          forEachTap(of: p, y: y, x: xo, height: h, width: w) { i in
            let value = x[inBase + i]
            if best < 0 || value > bestValue {
              best = inBase + i
              bestValue = value
            }
          }
          if best >= 0 { result[best] += r[(plane * oh + y) * ow + xo] }
        }
      }
    }
    return result
  }

  /// Proportional redistribution through an average pool (padding counted in the window).
  func avgPoolRule(
    x: [Float], r: [Double], pool p: PoolSpec, batch: Int, inShape: [Int], outShape: [Int]
  ) -> [Double] {
    let (c, h, w) = (inShape[0], inShape[1], inShape[2])
    let (oh, ow) = (outShape[1], outShape[2])
    let area = Double(p.kernel * p.kernel)
    var result = [Double](repeating: 0, count: batch * c * h * w)
    for plane in 0..<(batch * c) {
      let inBase = plane * h * w
      for y in 0..<oh {
        for xo in 0..<ow {
          var sum = 0.0
          forEachTap(of: p, y: y, x: xo, height: h, width: w) { i in
            sum += Double(x[inBase + i])
          }
          let mean = sum / area
          let scale = r[(plane * oh + y) * ow + xo] / (area * stabilised(mean))
          forEachTap(of: p, y: y, x: xo, height: h, width: w) { i in
            result[inBase + i] += Double(x[inBase + i]) * scale
          }
        }
      }
    }
    return result
  }

  /// Proportional redistribution through a global average pool.
  func globalPoolRule(x: [Float], r: [Double], batch: Int, inShape: [Int]) -> [Double] {
    let area = inShape[1] * inShape[2]
    var result = [Double](repeating: 0, count: batch * inShape[0] * area)
    for plane in 0..<(batch * inShape[0]) {
      var sum = 0.0
      for i in 0..<area { sum += Double(x[plane * area + i]) }
      let scale = r[plane] / (Double(area) * stabilised(sum / Double(area)))
      for i in 0..<area { result[plane * area + i] = Double(x[plane * area + i]) * scale }
    }
    return result
  }

  /// The option-A shortcut in reverse: mapped channels, subsampled positions.
  func shortcutRule(
    r: [Double], spec s: ShortcutPadSpec, batch: Int, inShape: [Int], outShape: [Int]
  ) -> [Double] {
    let (c, h, w) = (inShape[0], inShape[1], inShape[2])
    let (co, oh, ow) = (outShape[0], outShape[1], outShape[2])
    var result = [Double](repeating: 0, count: batch * c * h * w)
    for n in 0..<batch {
      for ch in 0..<c {
        let target = s.channelMap[ch]
        if target < 0 || target >= co { continue }
        for y in 0..<oh {
          for xo in 0..<ow {
            let iy = y * s.stride
            let ix = xo * s.stride
            if iy >= h || ix >= w { continue }
            result[((n * c + ch) * h + iy) * w + ix] = r[((n * co + target) * oh + y) * ow + xo]
          }
        }
      }
    }
    return result
  }
}

extension RelevancePropagation {
  /// The weights of `node`, or a ``CriterionError`` naming it when the network lacks them.
  fileprivate func weights(of node: String) throws -> [Float] {
    guard let w = network.parameters[node + ".weight"] else {
      throw CriterionError.unsupportedOperation(
        criterion: criterion, node: node, kind: "a layer without weights")
    }
    return w.scalars
  }
}
