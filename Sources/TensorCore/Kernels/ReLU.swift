import CDNNL

/// ReLU through oneDNN's eltwise primitive, forward and backward, on any layout.
///
/// The backward reads the forward's *output* (`relu_use_dst_for_bwd`), so the input buffer may
/// be reused after the forward.
public final class ReLUKernel {
  /// Layout of the activation.
  public let descriptor: MemoryDescriptor
  private let forwardPrimitive: Primitive
  private let backwardPrimitive: Primitive?

  /// Creates the primitives for data of layout `descriptor`.
  public init(context: ComputeContext, descriptor: MemoryDescriptor, training: Bool) throws {
    self.descriptor = descriptor
    var md = descriptor.raw
    var fwd = dnnl_eltwise_desc_t()
    try dnnlCheck(
      dnnl_eltwise_forward_desc_init(
        &fwd, training ? dnnl_forward_training : dnnl_forward_inference,
        dnnl_eltwise_relu_use_dst_for_bwd, &md, 0, 0), "eltwise_forward_desc_init")
    forwardPrimitive = try Primitive(context: context, name: "relu fwd", desc: &fwd)
    if training {
      var bwd = dnnl_eltwise_desc_t()
      var diff = descriptor.raw
      try dnnlCheck(
        dnnl_eltwise_backward_desc_init(&bwd, dnnl_eltwise_relu_use_dst_for_bwd, &diff, &md, 0, 0),
        "eltwise_backward_desc_init")
      backwardPrimitive = try Primitive(
        context: context, name: "relu bwd", desc: &bwd, hint: forwardPrimitive)
    } else {
      backwardPrimitive = nil
    }
  }

  private func check(_ t: Tensor) throws {
    guard t.descriptor == descriptor else {
      throw TensorCoreError.shapeMismatch("relu got \(t.descriptor), expected \(descriptor)")
    }
  }

  /// `dst = max(0, src)`; `dst` may be `src`'s own storage.
  public func forward(_ src: Tensor, into dst: inout Tensor) throws {
    try check(src)
    try check(dst)
    dst.makeUnique()
    try forwardPrimitive.execute([
      (DNNL_ARG_SRC, src.storage.pointer), (DNNL_ARG_DST, dst.storage.pointer),
    ])
  }

  /// `gradient = gradient · [dst > 0]` in place (the element-wise primitive reads each element
  /// before writing it).
  public func backward(dst: Tensor, gradient: inout Tensor) throws {
    guard let backwardPrimitive else {
      throw TensorCoreError.invalidArgument("relu kernel was created for inference only")
    }
    try check(dst)
    try check(gradient)
    gradient.makeUnique()
    try backwardPrimitive.execute([
      (DNNL_ARG_DST, dst.storage.pointer), (DNNL_ARG_DIFF_DST, gradient.storage.pointer),
      (DNNL_ARG_DIFF_SRC, gradient.storage.pointer),
    ])
  }

  /// `diffSrc = diffDst · [dst > 0]`, from the forward's output `dst`.
  public func backward(dst: Tensor, diffDst: Tensor, into diffSrc: inout Tensor) throws {
    guard let backwardPrimitive else {
      throw TensorCoreError.invalidArgument("relu kernel was created for inference only")
    }
    try check(dst)
    try check(diffDst)
    try check(diffSrc)
    diffSrc.makeUnique()
    try backwardPrimitive.execute([
      (DNNL_ARG_DST, dst.storage.pointer), (DNNL_ARG_DIFF_DST, diffDst.storage.pointer),
      (DNNL_ARG_DIFF_SRC, diffSrc.storage.pointer),
    ])
  }
}
