import CDNNL

/// A 2-D convolution through oneDNN, forward and backward, created once for fixed shapes.
///
/// Activations stay in the layout oneDNN picks (nChw16c for most shapes): the source layout is
/// given (the previous op's output, or plain NCHW for an image), the destination is chosen by
/// the primitive and reported in ``dstDescriptor``. Weights are kept by the caller in plain OIHW
/// (what criteria, checkpoints and surgery read); each call reorders them into the primitive's
/// blocked layout — a few microseconds per layer — and weight gradients come back in plain OIHW.
///
/// Backward data and weights need `training: true`.
///
/// An inference kernel may carry post-ops (``ConvPostOps``): a sum (`dst += conv(src)`, the
/// residual add done in place on the shortcut's buffer) and a ReLU, so that conv, folded batch
/// norm, add and ReLU run as one primitive. Weights that do not change between calls can be
/// reordered once with ``prepare(weight:)`` and passed to ``forward(_:prepared:bias:into:)``.
///
/// Narrow inputs: oneDNN 2.6 has no JIT kernel for an nChw16c input with fewer than 16
/// channels (it falls back to `ref:any`, 40× slower — pruned networks hit this). Such a
/// convolution runs as one with 16 input channels on the same buffer: the nChw16c layout already
/// holds 16 lanes per pixel, the extra lanes are zero (oneDNN zero-fills padding), and the staged
/// weights carry zeros for them. The input gradient's padding lanes are zeroed afterwards and the
/// weight gradient is cut back to the real channels.
public final class Conv2DKernel {
  /// The convolution's shape.
  public let geometry: ConvGeometry
  /// Layout of the input activation (and of its gradient).
  public let srcDescriptor: MemoryDescriptor
  /// Layout of the output activation (and of its gradient).
  public let dstDescriptor: MemoryDescriptor
  /// The post-ops fused after the convolution.
  public let postOps: ConvPostOps

  let context: ComputeContext
  /// The geometry the primitives run (input channels padded to 16 for narrow inputs).
  private let run: ConvGeometry
  private let internalSrc: MemoryDescriptor
  private var stagedWeights: Tensor?
  private var stagedGradient: Tensor?
  private let forwardPrimitive: Primitive
  private var backwardDataPrimitive: Primitive?
  private var backwardWeightsPrimitive: Primitive?
  private let weightsToForward: ReorderKernel?
  private var forwardWeights: Tensor
  private var weightsToBackwardData: ReorderKernel?
  private var backwardDataWeights: Tensor?
  private var diffWeightsToPlain: ReorderKernel?
  private var blockedDiffWeights: Tensor?

  /// Creates the primitives. `src` is the layout the input will arrive in. Post-ops are for
  /// inference kernels only (their backward is not provided).
  public init(
    context: ComputeContext, geometry g: ConvGeometry, src: MemoryDescriptor, training: Bool,
    postOps: ConvPostOps = ConvPostOps()
  ) throws {
    try g.validate()
    guard !training || postOps.isEmpty else {
      throw TensorCoreError.invalidArgument("conv post-ops are for inference kernels only")
    }
    self.postOps = postOps
    guard src.dims == g.srcDims else {
      throw TensorCoreError.shapeMismatch("conv input \(src.dims), expected \(g.srcDims)")
    }
    self.context = context
    self.geometry = g
    self.srcDescriptor = src
    var run = g
    if src.isNChw16c && g.inChannels < 16 { run.inChannels = 16 }
    self.run = run
    internalSrc = run.inChannels == g.inChannels ? src : .nChw16c(run.srcDims)
    if run.inChannels != g.inChannels {
      stagedWeights = Tensor(zeros: run.weightDims)
      stagedGradient = Tensor(zeros: run.weightDims)
    }
    let strides: [dnnl_dim_t] = [dnnl_dim_t(g.strideH), dnnl_dim_t(g.strideW)]
    let pads: [dnnl_dim_t] = [dnnl_dim_t(g.padH), dnnl_dim_t(g.padW)]
    var srcMD = internalSrc.raw
    var weightsAny = MemoryDescriptor.any(run.weightDims).raw
    var biasMD = MemoryDescriptor.plain([g.outChannels]).raw
    // The output is asked for in nChw16c so that every activation of a network shares one
    // layout (oneDNN's "any" may pick nChw8c for narrow layers, which would force reorders at
    // residual joins); "any" is the fallback when a shape has no nChw16c implementation.
    let ops = try postOps.make()
    defer { if let ops { dnnl_post_ops_destroy(ops) } }
    var made: Primitive?
    // Winograd (when chosen and the shape fits) with an nChw16c output first, then the direct
    // kernels; oneDNN answers "unimplemented" for a shape an algorithm cannot take.
    let algorithms = context.convolution.candidates(for: run, pass: .forward)
    let attempts =
      algorithms.dropLast().map { ($0, MemoryDescriptor.nChw16c(g.dstDims)) } + [
        (dnnl_convolution_direct, .nChw16c(g.dstDims)),
        (dnnl_convolution_direct, .any(g.dstDims)),
      ]
    for (algorithm, dstMD) in attempts {
      var dst = dstMD.raw
      var desc = dnnl_convolution_desc_t()
      try dnnlCheck(
        withUnsafePointer(to: &biasMD) { biasPtr in
          dnnl_convolution_forward_desc_init(
            &desc, training ? dnnl_forward_training : dnnl_forward_inference,
            algorithm, &srcMD, &weightsAny, g.hasBias ? biasPtr : nil, &dst,
            strides, pads, pads)
        }, "dnnl_convolution_forward_desc_init")
      if let p = try? Primitive(context: context, name: "conv fwd", desc: &desc, postOps: ops) {
        made = p
        break
      }
    }
    guard let made else {
      throw TensorCoreError.dnnl(call: "conv fwd: dnnl_primitive_desc_create", status: 3)
    }
    forwardPrimitive = made
    dstDescriptor = forwardPrimitive.query(dnnl_query_dst_md)
    let fwdWeightsMD = forwardPrimitive.query(dnnl_query_weights_md)
    forwardWeights = Tensor(zeros: fwdWeightsMD)
    let plainWeights = MemoryDescriptor.plain(run.weightDims)
    weightsToForward =
      fwdWeightsMD == plainWeights
      ? nil : try ReorderKernel(context: context, from: plainWeights, to: fwdWeightsMD)
    if training { try makeBackward(strides: strides, pads: pads) }
  }

  private func makeBackward(strides: [dnnl_dim_t], pads: [dnnl_dim_t]) throws {
    let g = run
    let plainWeights = MemoryDescriptor.plain(g.weightDims)
    // Backward data: the gradient of the input keeps the input's layout.
    var diffSrcMD = internalSrc.raw
    var weightsAny = MemoryDescriptor.any(g.weightDims).raw
    var diffDstMD = dstDescriptor.raw
    let dataAlgorithms = context.convolution.candidates(for: g, pass: .backwardData)
    var bdp: Primitive!
    for (k, algorithm) in dataAlgorithms.enumerated() {
      var bd = dnnl_convolution_desc_t()
      try dnnlCheck(
        dnnl_convolution_backward_data_desc_init(
          &bd, algorithm, &diffSrcMD, &weightsAny, &diffDstMD, strides, pads, pads),
        "dnnl_convolution_backward_data_desc_init")
      // Only the last (direct) attempt may throw: an earlier algorithm may not fit the shape.
      if k == dataAlgorithms.count - 1 {
        bdp = try Primitive(
          context: context, name: "conv bwd data", desc: &bd, hint: forwardPrimitive)
      } else if let p = try? Primitive(
        context: context, name: "conv bwd data", desc: &bd, hint: forwardPrimitive)
      {
        bdp = p
        break
      }
    }
    backwardDataPrimitive = bdp
    let bdWeightsMD = bdp.query(dnnl_query_weights_md)
    if bdWeightsMD != forwardPrimitive.query(dnnl_query_weights_md) {
      backwardDataWeights = Tensor(zeros: bdWeightsMD)
      weightsToBackwardData = try ReorderKernel(
        context: context, from: plainWeights, to: bdWeightsMD)
    }
    // Backward weights.
    var srcMD = internalSrc.raw
    var diffWeightsAny = MemoryDescriptor.any(g.weightDims).raw
    var diffBiasMD = MemoryDescriptor.plain([g.outChannels]).raw
    let weightAlgorithms = context.convolution.candidates(for: g, pass: .backwardWeights)
    var bwp: Primitive!
    for (k, algorithm) in weightAlgorithms.enumerated() {
      var bw = dnnl_convolution_desc_t()
      try dnnlCheck(
        withUnsafePointer(to: &diffBiasMD) { biasPtr in
          dnnl_convolution_backward_weights_desc_init(
            &bw, algorithm, &srcMD, &diffWeightsAny, g.hasBias ? biasPtr : nil,
            &diffDstMD, strides, pads, pads)
        }, "dnnl_convolution_backward_weights_desc_init")
      if k == weightAlgorithms.count - 1 {
        bwp = try Primitive(
          context: context, name: "conv bwd weights", desc: &bw, hint: forwardPrimitive)
      } else if let p = try? Primitive(
        context: context, name: "conv bwd weights", desc: &bw, hint: forwardPrimitive)
      {
        bwp = p
        break
      }
    }
    backwardWeightsPrimitive = bwp
    let dwMD = bwp.query(dnnl_query_diff_weights_md)
    if dwMD != plainWeights {
      blockedDiffWeights = Tensor(zeros: dwMD)
      diffWeightsToPlain = try ReorderKernel(context: context, from: dwMD, to: plainWeights)
    }
  }

  /// The implementations oneDNN chose (forward, backward data, backward weights).
  public var implementations: [String] {
    [forwardPrimitive, backwardDataPrimitive, backwardWeightsPrimitive].compactMap {
      $0?.implementation
    }
  }

  private func check(_ t: Tensor, _ md: MemoryDescriptor, _ what: String) throws {
    guard t.descriptor == md else {
      throw TensorCoreError.shapeMismatch("conv \(what) is \(t.descriptor), expected \(md)")
    }
  }

  /// `dst = conv(src, weight) (+ bias)`, then the post-ops (with a sum post-op `dst` must hold
  /// the addend). `weight` is plain OIHW; `dst` has ``dstDescriptor``.
  public func forward(_ src: Tensor, weight: Tensor, bias: Tensor?, into dst: inout Tensor) throws {
    guard weight.shape == geometry.weightDims, weight.isPlain else {
      throw TensorCoreError.shapeMismatch(
        "conv weight \(weight.shape), want \(geometry.weightDims)")
    }
    var w = staged(weight)
    if let r = weightsToForward {
      try r.execute(w, into: &forwardWeights)
      w = forwardWeights
    }
    try run(src, weights: w, bias: bias, into: &dst)
  }

  /// `weight` (plain OIHW) in the forward primitive's own layout, for
  /// ``forward(_:prepared:bias:into:)``: weights that stay fixed across calls are reordered once.
  public func prepare(weight: Tensor) throws -> Tensor {
    guard weight.shape == geometry.weightDims, weight.isPlain else {
      throw TensorCoreError.shapeMismatch(
        "conv weight \(weight.shape), want \(geometry.weightDims)")
    }
    let w = staged(weight)
    guard let r = weightsToForward else { return w.storage === weight.storage ? w : copy(w) }
    var out = Tensor(zeros: r.to)
    try r.execute(w, into: &out)
    return out
  }

  private func copy(_ t: Tensor) -> Tensor {
    var out = Tensor(zeros: t.descriptor)
    out.withUnsafeMutableBufferPointer { d in
      t.withUnsafeBufferPointer { s in d.baseAddress!.update(from: s.baseAddress!, count: d.count) }
    }
    return out
  }

  /// ``forward(_:weight:bias:into:)`` with weights from ``prepare(weight:)``.
  public func forward(_ src: Tensor, prepared weight: Tensor, bias: Tensor?, into dst: inout Tensor)
    throws
  {
    let md = forwardPrimitive.query(dnnl_query_weights_md)
    guard weight.descriptor == md else {
      throw TensorCoreError.shapeMismatch(
        "conv prepared weight is \(weight.descriptor), expected \(md)")
    }
    try run(src, weights: weight, bias: bias, into: &dst)
  }

  private func run(_ src: Tensor, weights w: Tensor, bias: Tensor?, into dst: inout Tensor) throws {
    try check(src, srcDescriptor, "input")
    try check(dst, dstDescriptor, "output")
    dst.makeUnique()
    var args: [(Int32, UnsafeMutablePointer<Float>)] = [
      (DNNL_ARG_SRC, src.storage.pointer), (DNNL_ARG_WEIGHTS, w.storage.pointer),
      (DNNL_ARG_DST, dst.storage.pointer),
    ]
    if geometry.hasBias {
      guard let bias, bias.shape == [geometry.outChannels] else {
        throw TensorCoreError.invalidArgument("conv has a bias but none of \(geometry.outChannels)")
      }
      args.append((DNNL_ARG_BIAS, bias.storage.pointer))
    }
    try forwardPrimitive.execute(args)
  }

  /// `diffSrc = ∂L/∂src` from `diffDst = ∂L/∂dst`.
  public func backwardData(_ diffDst: Tensor, weight: Tensor, into diffSrc: inout Tensor) throws {
    guard let p = backwardDataPrimitive else {
      throw TensorCoreError.invalidArgument("conv kernel was created for inference only")
    }
    try check(diffDst, dstDescriptor, "output gradient")
    try check(diffSrc, srcDescriptor, "input gradient")
    let source = staged(weight)
    var w = source
    if let r = weightsToBackwardData, backwardDataWeights != nil {
      // Non-nil: the condition above checks it; it is unwrapped in place to avoid a copy.
      try r.execute(source, into: &backwardDataWeights!)
      w = backwardDataWeights!
    } else if let r = weightsToForward {
      try r.execute(source, into: &forwardWeights)
      w = forwardWeights
    }
    diffSrc.makeUnique()
    try p.execute([
      (DNNL_ARG_DIFF_DST, diffDst.storage.pointer), (DNNL_ARG_WEIGHTS, w.storage.pointer),
      (DNNL_ARG_DIFF_SRC, diffSrc.storage.pointer),
    ])
    if run.inChannels != geometry.inChannels { zeroPaddingLanes(of: diffSrc) }
  }

  /// `weight`, or for a narrow input the staged copy with zero weights for the padding lanes.
  private func staged(_ weight: Tensor) -> Tensor {
    guard var buffer = stagedWeights else { return weight }
    stagedWeights = nil
    Conv2DKernel.copyChannels(from: weight, into: &buffer, channels: geometry.inChannels)
    stagedWeights = buffer
    return buffer
  }

  /// Copies OIHW `source` (`channels` inputs) into the first `channels` inputs of `target`
  /// (more inputs), or back when `target` has fewer.
  private static func copyChannels(from source: Tensor, into target: inout Tensor, channels: Int) {
    let o = source.shape[0]
    let hw = source.shape[2] * source.shape[3]
    let si = source.shape[1]
    let ti = target.shape[1]
    target.withUnsafeMutableBufferPointer { t in
      source.withUnsafeBufferPointer { s in
        for oc in 0..<o {
          for c in 0..<channels {
            let from = (oc * si + c) * hw
            let to = (oc * ti + c) * hw
            for k in 0..<hw { t[to + k] = s[from + k] }
          }
        }
      }
    }
  }

  /// Zeroes lanes `inChannels..<16` of an nChw16c tensor with fewer than 16 channels.
  private func zeroPaddingLanes(of t: Tensor) {
    let d = t.shape
    let pixels = d[0] * d[2] * d[3]
    let p = t.storage.pointer
    for i in 0..<pixels {
      for lane in geometry.inChannels..<16 { p[i * 16 + lane] = 0 }
    }
  }

  /// Weight (plain OIHW) and bias gradients; both are overwritten.
  public func backwardWeights(
    _ src: Tensor, _ diffDst: Tensor, weightGrad: inout Tensor, biasGrad: inout Tensor?
  ) throws {
    guard let p = backwardWeightsPrimitive else {
      throw TensorCoreError.invalidArgument("conv kernel was created for inference only")
    }
    try check(src, srcDescriptor, "input")
    try check(diffDst, dstDescriptor, "output gradient")
    guard weightGrad.shape == geometry.weightDims, weightGrad.isPlain else {
      throw TensorCoreError.shapeMismatch(
        "conv weight gradient \(weightGrad.descriptor), expected plain \(geometry.weightDims)")
    }
    if let b = biasGrad, b.shape != [geometry.outChannels] || !b.isPlain {
      throw TensorCoreError.shapeMismatch(
        "conv bias gradient \(b.shape), expected [\(geometry.outChannels)]")
    }
    weightGrad.makeUnique()
    let padded = run.inChannels != geometry.inChannels
    // A kernel made for a padded input channel count made `stagedGradient` at init.
    let target = blockedDiffWeights ?? (padded ? stagedGradient! : weightGrad)
    var args: [(Int32, UnsafeMutablePointer<Float>)] = [
      (DNNL_ARG_SRC, src.storage.pointer), (DNNL_ARG_DIFF_DST, diffDst.storage.pointer),
      (DNNL_ARG_DIFF_WEIGHTS, target.storage.pointer),
    ]
    if geometry.hasBias {
      guard biasGrad != nil else {
        throw TensorCoreError.invalidArgument("conv has a bias: pass a bias gradient tensor")
      }
      // Non-nil: the guard above threw otherwise.
      biasGrad!.makeUnique()
      args.append((DNNL_ARG_DIFF_BIAS, biasGrad!.storage.pointer))
    }
    try p.execute(args)
    if padded {
      // Set at init for a padded kernel (see `target` above).
      var full = stagedGradient!
      stagedGradient = nil
      if let r = diffWeightsToPlain, let blocked = blockedDiffWeights {
        try r.execute(blocked, into: &full)
      }
      Conv2DKernel.copyChannels(from: full, into: &weightGrad, channels: geometry.inChannels)
      stagedGradient = full
    } else if let r = diffWeightsToPlain, let blocked = blockedDiffWeights {
      try r.execute(blocked, into: &weightGrad)
    }
  }
}
