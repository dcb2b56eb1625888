import CDNNL

/// How a ``Conv2DKernel`` computes a convolution: oneDNN's direct kernels, or Winograd's
/// minimal filtering where oneDNN has it.
///
/// Winograd F(4×4, 3×3) (oneDNN's `jit_wino_4x3`, AVX-512) computes a 3×3, stride-1 convolution
/// with 36 multiplications per 4×4 output tile instead of 144: on this machine it runs
/// resnet20's, resnet56's and vgg-small's inference 1.25–1.55× and their training steps
/// 1.1–1.35× faster than the direct kernels (`shears bench`, one thread; see the module
/// README). It is exact up to rounding, which differs from the direct kernels' (relative
/// differences about 1e-6 per layer), so results depend on the choice: a session records it,
/// and replay uses the recorded one (sessions recorded before the choice existed ran direct).
///
/// With `.winograd`, each convolution whose shape Winograd can take — 3×3 kernel, stride 1,
/// channel counts oneDNN's kernel accepts (multiples of its 16-channel block) — runs it, forward
/// and backward; every other shape runs the direct kernels, as with `.direct`.
///
/// ```swift
/// let context = try ComputeContext(threads: 2, convolution: .direct)
/// ```
public enum ConvolutionAlgorithm: String, Sendable, Hashable, Codable, CaseIterable {
  /// Direct convolution for every shape.
  case direct
  /// Winograd F(4×4, 3×3) where oneDNN has it for the shape, direct elsewhere.
  case winograd

  /// What the engine runs when nobody chooses.
  public static let `default` = ConvolutionAlgorithm.winograd

  /// The oneDNN algorithms to try for `geometry`, best first (the last is always direct).
  func candidates(for geometry: ConvGeometry) -> [dnnl_alg_kind_t] {
    switch self {
    case .direct:
      return [dnnl_convolution_direct]
    case .winograd:
      let fits =
        geometry.kernelH == 3 && geometry.kernelW == 3 && geometry.strideH == 1
        && geometry.strideW == 1
      return fits
        ? [dnnl_convolution_winograd, dnnl_convolution_direct] : [dnnl_convolution_direct]
    }
  }
}
