import CDNNL

/// Batch normalisation over (N, H, W) per channel through oneDNN, with an optional fused ReLU.
///
/// - Training forward normalises with the batch mean and the *biased* batch variance and
///   reports both (summed in double precision by BatchNorm+Statistics.swift, not oneDNN's
///   single-precision sums); ``updateRunningStatistics(mean:variance:runningMean:runningVariance:momentum:)``
///   then folds them into running statistics like PyTorch (unbiased variance, `momentum` = 0.1).
/// - Inference forward uses the running statistics.
/// - Backward (training mode) gives the input gradient and the γ/β gradients.
///
/// With `fuseReLU`, `y = max(0, BN(x))`; the forward keeps a workspace (the ReLU mask) that the
/// following backward reads, so call forward and backward in pairs.
public final class BatchNormKernel {
  /// Layout of the activation (input, output and their gradients).
  public let descriptor: MemoryDescriptor
  /// Channels.
  public let channels: Int
  /// Variance epsilon.
  public let epsilon: Float
  /// Whether a ReLU is fused after the normalisation.
  public let fuseReLU: Bool

  private let training: Primitive?
  private let inference: Primitive
  private let backward: Primitive?
  private var workspace: Tensor?
  /// The OpenMP team the statistics are summed on.
  let threads: Int
  /// Whether training-mode statistics are computed by ``batchStatistics(_:mean:variance:threads:)``.
  private let precise: Bool

  /// Creates the primitives for activations of layout `descriptor` (NCHW dims).
  public init(
    context: ComputeContext, descriptor: MemoryDescriptor, epsilon: Float = 1e-5,
    fuseReLU: Bool = false, training isTraining: Bool
  ) throws {
    guard descriptor.dims.count == 4 || descriptor.dims.count == 2 else {
      throw TensorCoreError.invalidArgument("batch norm needs NCHW or NC data: \(descriptor)")
    }
    self.descriptor = descriptor
    self.channels = descriptor.dims[1]
    self.epsilon = epsilon
    self.fuseReLU = fuseReLU
    self.threads = context.threads
    // Training statistics are summed here (BatchNorm+Statistics.swift) for the layouts the
    // engine uses, and given to oneDNN's kernel; any other layout keeps oneDNN's own.
    let precise = descriptor.isPlain || descriptor.isNChw16c
    self.precise = precise
    var md = descriptor.raw
    let base = dnnl_use_scale.rawValue | dnnl_use_shift.rawValue
    let relu = fuseReLU ? dnnl_fuse_norm_relu.rawValue : 0
    var inf = dnnl_batch_normalization_desc_t()
    try dnnlCheck(
      dnnl_batch_normalization_forward_desc_init(
        &inf, dnnl_forward_inference, &md, epsilon,
        base | relu | dnnl_use_global_stats.rawValue),
      "batch_normalization_forward_desc_init(inference)")
    inference = try Primitive(context: context, name: "bn inference", desc: &inf)
    if isTraining {
      var fwd = dnnl_batch_normalization_desc_t()
      try dnnlCheck(
        dnnl_batch_normalization_forward_desc_init(
          &fwd, dnnl_forward_training, &md, epsilon,
          base | relu | (precise ? dnnl_use_global_stats.rawValue : 0)),
        "batch_normalization_forward_desc_init(training)")
      let t = try Primitive(context: context, name: "bn fwd", desc: &fwd)
      training = t
      if fuseReLU { workspace = Tensor(zeros: t.query(dnnl_query_workspace_md)) }
      var bwd = dnnl_batch_normalization_desc_t()
      var diffMD = descriptor.raw
      try dnnlCheck(
        dnnl_batch_normalization_backward_desc_init(
          &bwd, dnnl_backward, &diffMD, &md, epsilon, base | relu),
        "batch_normalization_backward_desc_init")
      backward = try Primitive(context: context, name: "bn bwd", desc: &bwd, hint: t)
    } else {
      training = nil
      backward = nil
    }
  }

  /// Throws unless `t` has the kernel's activation layout.
  func check(_ t: Tensor, _ what: String) throws {
    guard t.descriptor == descriptor else {
      throw TensorCoreError.shapeMismatch(
        "batch norm \(what) is \(t.descriptor), expected \(descriptor)")
    }
  }

  /// Throws unless `t` is a plain per-channel vector.
  func checkVector(_ t: Tensor, _ what: String) throws {
    guard t.shape == [channels], t.isPlain else {
      throw TensorCoreError.shapeMismatch(
        "batch norm \(what) has shape \(t.shape), expected [\(channels)]")
    }
  }

  /// Training-mode forward; writes `dst` and the batch `mean` and biased `variance`.
  public func forwardTraining(
    _ src: Tensor, scale: Tensor, shift: Tensor, into dst: inout Tensor, mean: inout Tensor,
    variance: inout Tensor
  ) throws {
    guard let training else {
      throw TensorCoreError.invalidArgument("batch norm kernel was created for inference only")
    }
    try check(src, "input")
    try check(dst, "output")
    try checkVector(scale, "scale")
    try checkVector(shift, "shift")
    try checkVector(mean, "mean")
    try checkVector(variance, "variance")
    dst.makeUnique()
    mean.makeUnique()
    variance.makeUnique()
    var args: [(Int32, UnsafeMutablePointer<Float>)] = [
      (DNNL_ARG_SRC, src.storage.pointer), (DNNL_ARG_DST, dst.storage.pointer),
      (DNNL_ARG_SCALE, scale.storage.pointer), (DNNL_ARG_SHIFT, shift.storage.pointer),
      (DNNL_ARG_MEAN, mean.storage.pointer), (DNNL_ARG_VARIANCE, variance.storage.pointer),
    ]
    if let ws = workspace { args.append((DNNL_ARG_WORKSPACE, ws.storage.pointer)) }
    if precise {
      Self.batchStatistics(
        src, mean: mean.storage.pointer, variance: variance.storage.pointer, threads: threads)
    }
    try training.execute(args)
  }

  /// Inference-mode forward with the given (running) statistics.
  public func forwardInference(
    _ src: Tensor, scale: Tensor, shift: Tensor, mean: Tensor, variance: Tensor,
    into dst: inout Tensor
  ) throws {
    try check(src, "input")
    try check(dst, "output")
    for (t, n) in [(scale, "scale"), (shift, "shift"), (mean, "mean"), (variance, "variance")] {
      try checkVector(t, n)
    }
    dst.makeUnique()
    try inference.execute([
      (DNNL_ARG_SRC, src.storage.pointer), (DNNL_ARG_DST, dst.storage.pointer),
      (DNNL_ARG_SCALE, scale.storage.pointer), (DNNL_ARG_SHIFT, shift.storage.pointer),
      (DNNL_ARG_MEAN, mean.storage.pointer), (DNNL_ARG_VARIANCE, variance.storage.pointer),
    ])
  }

  /// Training-mode backward: input gradient and γ/β gradients (overwritten). `mean` and
  /// `variance` are the batch statistics of the matching forward; `shift` (β) is needed by the
  /// fused ReLU's mask (oneDNN asks for it whenever the shift is in use).
  public func backward(
    _ src: Tensor, diffDst: Tensor, scale: Tensor, shift: Tensor, mean: Tensor, variance: Tensor,
    diffSrc: inout Tensor, diffScale: inout Tensor, diffShift: inout Tensor
  ) throws {
    guard let backward else {
      throw TensorCoreError.invalidArgument("batch norm kernel was created for inference only")
    }
    try check(src, "input")
    try check(diffDst, "output gradient")
    try check(diffSrc, "input gradient")
    for (t, n) in [
      (scale, "scale"), (shift, "shift"), (mean, "mean"), (variance, "variance"),
      (diffScale, "scale gradient"), (diffShift, "shift gradient"),
    ] {
      try checkVector(t, n)
    }
    diffSrc.makeUnique()
    diffScale.makeUnique()
    diffShift.makeUnique()
    var args: [(Int32, UnsafeMutablePointer<Float>)] = [
      (DNNL_ARG_SRC, src.storage.pointer), (DNNL_ARG_DIFF_DST, diffDst.storage.pointer),
      (DNNL_ARG_SCALE, scale.storage.pointer), (DNNL_ARG_SHIFT, shift.storage.pointer),
      (DNNL_ARG_MEAN, mean.storage.pointer), (DNNL_ARG_VARIANCE, variance.storage.pointer),
      (DNNL_ARG_DIFF_SRC, diffSrc.storage.pointer),
      (DNNL_ARG_DIFF_SCALE, diffScale.storage.pointer),
      (DNNL_ARG_DIFF_SHIFT, diffShift.storage.pointer),
    ]
    if let ws = workspace { args.append((DNNL_ARG_WORKSPACE, ws.storage.pointer)) }
    try backward.execute(args)
  }

  /// Folds batch statistics into running ones, as PyTorch does: `r = (1−m)·r + m·batch`, with the
  /// unbiased variance `var·n/(n−1)` where `n` is the number of values per channel.
  public func updateRunningStatistics(
    mean: Tensor, variance: Tensor, runningMean: inout Tensor, runningVariance: inout Tensor,
    momentum: Float = 0.1
  ) {
    let d = descriptor.dims
    let n = Float(d.count == 4 ? d[0] * d[2] * d[3] : d[0])
    let unbias = n > 1 ? n / (n - 1) : 1
    runningMean.makeUnique()
    runningVariance.makeUnique()
    let rm = runningMean.storage.pointer
    let rv = runningVariance.storage.pointer
    for c in 0..<channels {
      rm[c] = (1 - momentum) * rm[c] + momentum * mean.storage.pointer[c]
      rv[c] = (1 - momentum) * rv[c] + momentum * variance.storage.pointer[c] * unbias
    }
  }
}
