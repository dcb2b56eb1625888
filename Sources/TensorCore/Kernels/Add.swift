import CDNNL

/// Element-wise `dst = a + b` through oneDNN's binary primitive, optionally followed by a fused
/// ReLU (the residual join of a ResNet block).
///
/// Backward: the gradient of a sum flows unchanged to both inputs; with the fused ReLU it is
/// first masked by `dst > 0` (``backwardReLU(dst:diffDst:into:)``). Also used to accumulate
/// gradients where an activation feeds two consumers.
public final class AddKernel {
  /// Layout of both inputs and the output.
  public let descriptor: MemoryDescriptor
  /// Whether a ReLU follows the sum.
  public let fuseReLU: Bool
  private let primitive: Primitive
  private let relu: ReLUKernel?

  /// Creates the primitive for data of layout `descriptor`.
  public init(
    context: ComputeContext, descriptor: MemoryDescriptor, fuseReLU: Bool = false,
    training: Bool = true
  ) throws {
    self.descriptor = descriptor
    self.fuseReLU = fuseReLU
    var md = descriptor.raw
    var md1 = descriptor.raw
    var dst = descriptor.raw
    var desc = dnnl_binary_desc_t()
    try dnnlCheck(
      dnnl_binary_desc_init(&desc, dnnl_binary_add, &md, &md1, &dst), "binary_desc_init")
    var postOps: dnnl_post_ops_t?
    if fuseReLU {
      try dnnlCheck(dnnl_post_ops_create(&postOps), "post_ops_create")
      try dnnlCheck(
        dnnl_post_ops_append_eltwise(postOps, 1, dnnl_eltwise_relu, 0, 0), "append_eltwise")
    }
    defer { if let postOps { dnnl_post_ops_destroy(postOps) } }
    primitive = try Primitive(context: context, name: "add", desc: &desc, postOps: postOps)
    relu =
      fuseReLU && training
      ? try ReLUKernel(context: context, descriptor: descriptor, training: true) : nil
  }

  /// `dst = a + b` (then ReLU when fused). `dst` may share storage with `a`.
  public func forward(_ a: Tensor, _ b: Tensor, into dst: inout Tensor) throws {
    guard a.descriptor == descriptor, b.descriptor == descriptor, dst.descriptor == descriptor
    else {
      throw TensorCoreError.shapeMismatch(
        "add got \(a.descriptor) + \(b.descriptor) → \(dst.descriptor), expected \(descriptor)")
    }
    dst.makeUnique()
    try primitive.execute([
      (DNNL_ARG_SRC_0, a.storage.pointer), (DNNL_ARG_SRC_1, b.storage.pointer),
      (DNNL_ARG_DST, dst.storage.pointer),
    ])
  }

  /// `a += b` in place (no ReLU even when fused); used to accumulate gradients.
  public func accumulate(_ b: Tensor, into a: inout Tensor) throws {
    guard a.descriptor == descriptor, b.descriptor == descriptor, !fuseReLU else {
      throw TensorCoreError.shapeMismatch("accumulate \(b.descriptor) into \(a.descriptor)")
    }
    a.makeUnique()
    try primitive.execute([
      (DNNL_ARG_SRC_0, a.storage.pointer), (DNNL_ARG_SRC_1, b.storage.pointer),
      (DNNL_ARG_DST, a.storage.pointer),
    ])
  }

  /// For the fused ReLU: `diffSum = diffDst · [dst > 0]`, the gradient both inputs receive.
  public func backwardReLU(dst: Tensor, diffDst: Tensor, into diffSum: inout Tensor) throws {
    guard let relu else {
      throw TensorCoreError.invalidArgument("add kernel has no fused ReLU to differentiate")
    }
    try relu.backward(dst: dst, diffDst: diffDst, into: &diffSum)
  }

  /// ``backwardReLU(dst:diffDst:into:)`` in place: `gradient = gradient · [dst > 0]`.
  public func backwardReLU(dst: Tensor, gradient: inout Tensor) throws {
    guard let relu else {
      throw TensorCoreError.invalidArgument("add kernel has no fused ReLU to differentiate")
    }
    try relu.backward(dst: dst, gradient: &gradient)
  }
}
