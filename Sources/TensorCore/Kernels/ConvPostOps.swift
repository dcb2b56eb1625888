import CDNNL

/// Operations oneDNN runs inside a convolution, on its output, before writing it:
/// `dst = relu(conv(src) + bias + dst)` with both, in that order (the residual join of a ResNet
/// block, after batch norm has been folded into the weights and bias).
public struct ConvPostOps: Hashable, Sendable {
  /// Adds the destination's previous contents (the sum post-op): the caller fills `dst` with
  /// the addend before the call.
  public var sum: Bool
  /// Applies ReLU last.
  public var relu: Bool

  /// Post-ops `sum` then `relu`; none by default.
  public init(sum: Bool = false, relu: Bool = false) {
    self.sum = sum
    self.relu = relu
  }

  /// True when there is nothing to fuse.
  public var isEmpty: Bool { !sum && !relu }

  /// The oneDNN post-op chain, or nil when empty; the caller destroys it.
  func make() throws -> dnnl_post_ops_t? {
    guard !isEmpty else { return nil }
    var ops: dnnl_post_ops_t?
    try dnnlCheck(dnnl_post_ops_create(&ops), "dnnl_post_ops_create")
    do {
      if sum { try dnnlCheck(dnnl_post_ops_append_sum(ops, 1), "dnnl_post_ops_append_sum") }
      if relu {
        try dnnlCheck(
          dnnl_post_ops_append_eltwise(ops, 1, dnnl_eltwise_relu, 0, 0),
          "dnnl_post_ops_append_eltwise")
      }
    } catch {
      dnnl_post_ops_destroy(ops)
      throw error
    }
    return ops
  }
}
