import CDNNL

/// Kinds of spatial pooling.
public enum PoolingKind: String, Sendable, Codable {
  /// Maximum over the window (padded cells never win).
  case max
  /// Mean over the window, padded cells counted (PyTorch's `count_include_pad=True`).
  case average
  /// Mean over the window's cells inside the image.
  case averageExcludingPadding
}

/// The shape of a pooling window.
public struct PoolingGeometry: Hashable, Sendable, Codable {
  public var batch: Int
  public var channels: Int
  public var height: Int
  public var width: Int
  public var kernel: Int
  public var stride: Int
  public var padding: Int

  /// A square window with symmetric stride and padding.
  public init(
    batch: Int, channels: Int, height: Int, width: Int, kernel: Int, stride: Int, padding: Int = 0
  ) {
    self.batch = batch
    self.channels = channels
    self.height = height
    self.width = width
    self.kernel = kernel
    self.stride = stride
    self.padding = padding
  }

  /// Global pooling: one window covering the whole `height × width` map.
  public static func global(batch: Int, channels: Int, height: Int, width: Int) -> PoolingGeometry {
    precondition(height == width, "global pooling is defined here for square maps")
    return PoolingGeometry(
      batch: batch, channels: channels, height: height, width: width, kernel: height, stride: 1)
  }

  /// Output height.
  var outHeight: Int { (height + 2 * padding - kernel) / stride + 1 }
  /// Output width.
  var outWidth: Int { (width + 2 * padding - kernel) / stride + 1 }
  /// NCHW dims of the input.
  public var srcDims: [Int] { [batch, channels, height, width] }
  /// NCHW dims of the output.
  public var dstDims: [Int] { [batch, channels, outHeight, outWidth] }
}

/// Max or average pooling through oneDNN, forward and backward, on blocked layouts.
///
/// Max pooling in training keeps a workspace (the arg-max) for the backward, so call forward and
/// backward in pairs.
public final class PoolingKernel {
  /// The window.
  public let geometry: PoolingGeometry
  /// The kind.
  public let kind: PoolingKind
  /// Layout of the input (and its gradient).
  public let srcDescriptor: MemoryDescriptor
  /// Layout of the output (and its gradient).
  public let dstDescriptor: MemoryDescriptor
  private let forwardPrimitive: Primitive
  private let backwardPrimitive: Primitive?
  private var workspace: Tensor?

  /// Creates the primitives; the output keeps the input's layout family.
  public init(
    context: ComputeContext, geometry g: PoolingGeometry, kind: PoolingKind, src: MemoryDescriptor,
    training: Bool
  ) throws {
    guard src.dims == g.srcDims else {
      throw TensorCoreError.shapeMismatch("pooling input \(src.dims), expected \(g.srcDims)")
    }
    guard g.kernel > 0, g.stride > 0, g.padding >= 0, g.outHeight > 0, g.outWidth > 0,
      g.padding < g.kernel
    else {
      throw TensorCoreError.invalidArgument("pooling window does not fit: \(g)")
    }
    self.geometry = g
    self.kind = kind
    self.srcDescriptor = src
    let alg: dnnl_alg_kind_t
    switch kind {
    case .max: alg = dnnl_pooling_max
    case .average: alg = dnnl_pooling_avg_include_padding
    case .averageExcludingPadding: alg = dnnl_pooling_avg_exclude_padding
    }
    let k: [dnnl_dim_t] = [dnnl_dim_t(g.kernel), dnnl_dim_t(g.kernel)]
    let s: [dnnl_dim_t] = [dnnl_dim_t(g.stride), dnnl_dim_t(g.stride)]
    let p: [dnnl_dim_t] = [dnnl_dim_t(g.padding), dnnl_dim_t(g.padding)]
    let dil: [dnnl_dim_t] = [0, 0]
    var srcMD = src.raw
    var dstAny = MemoryDescriptor.any(g.dstDims).raw
    var fwd = dnnl_pooling_v2_desc_t()
    try dnnlCheck(
      dnnl_pooling_v2_forward_desc_init(
        &fwd, training ? dnnl_forward_training : dnnl_forward_inference, alg, &srcMD, &dstAny, s,
        k, dil, p, p), "pooling_v2_forward_desc_init")
    let f = try Primitive(context: context, name: "pool fwd", desc: &fwd)
    forwardPrimitive = f
    dstDescriptor = f.query(dnnl_query_dst_md)
    if training {
      let ws = f.query(dnnl_query_workspace_md)
      if ws.byteCount > 0 { workspace = Tensor(zeros: ws) }
      var diffSrc = src.raw
      var diffDst = dstDescriptor.raw
      var bwd = dnnl_pooling_v2_desc_t()
      try dnnlCheck(
        dnnl_pooling_v2_backward_desc_init(&bwd, alg, &diffSrc, &diffDst, s, k, dil, p, p),
        "pooling_v2_backward_desc_init")
      backwardPrimitive = try Primitive(context: context, name: "pool bwd", desc: &bwd, hint: f)
    } else {
      backwardPrimitive = nil
    }
  }

  /// Pools `src` into `dst`.
  public func forward(_ src: Tensor, into dst: inout Tensor) throws {
    guard src.descriptor == srcDescriptor, dst.descriptor == dstDescriptor else {
      throw TensorCoreError.shapeMismatch(
        "pooling got \(src.descriptor) → \(dst.descriptor), expected \(srcDescriptor) → \(dstDescriptor)"
      )
    }
    dst.makeUnique()
    var args: [(Int32, UnsafeMutablePointer<Float>)] = [
      (DNNL_ARG_SRC, src.storage.pointer), (DNNL_ARG_DST, dst.storage.pointer),
    ]
    if let ws = workspace { args.append((DNNL_ARG_WORKSPACE, ws.storage.pointer)) }
    try forwardPrimitive.execute(args)
  }

  /// The input gradient from the output gradient (overwritten).
  public func backward(diffDst: Tensor, into diffSrc: inout Tensor) throws {
    guard let backwardPrimitive else {
      throw TensorCoreError.invalidArgument("pooling kernel was created for inference only")
    }
    guard diffDst.descriptor == dstDescriptor, diffSrc.descriptor == srcDescriptor else {
      throw TensorCoreError.shapeMismatch("pooling backward layouts do not match the forward")
    }
    diffSrc.makeUnique()
    var args: [(Int32, UnsafeMutablePointer<Float>)] = [
      (DNNL_ARG_DIFF_DST, diffDst.storage.pointer), (DNNL_ARG_DIFF_SRC, diffSrc.storage.pointer),
    ]
    if let ws = workspace { args.append((DNNL_ARG_WORKSPACE, ws.storage.pointer)) }
    try backwardPrimitive.execute(args)
  }
}
