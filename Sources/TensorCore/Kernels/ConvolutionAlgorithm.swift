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
/// With `.winograd`, each pass (forward, data gradient, weight gradient) of a convolution whose
/// shape Winograd can take — 3×3 kernel, stride 1 — runs it where it pays on this machine (see
/// ``candidates(for:pass:)``: not where a single 16-channel block is what the pass reduces
/// over); every other pass runs the direct kernels, as with `.direct`.
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

  /// The passes of a convolution, for ``candidates(for:pass:)``.
  enum Pass {
    case forward, backwardData, backwardWeights
  }

  /// The oneDNN algorithms to try for `geometry`'s `pass`, best first (the last is always
  /// direct).
  ///
  /// Winograd's transformed products reduce over the input channels in the forward pass and
  /// over the output channels in the data gradient; with a single 16-channel block there it
  /// loses to the direct kernels. Measured with `shears-microbench` (SHEARS_GRID=1; 2 threads,
  /// batch 128, 3×3 stride 1, 16–64 channels at 32/16/8 pixels), Winograd over direct:
  /// forward 0.51–0.97× with 16 inputs into 16–32 outputs, 1.02–1.35× with 16 inputs into 48–64,
  /// 1.02–2.2× with 32 or more inputs; data gradient 0.54–1.14× with 16 outputs, 1.0–2.4× with
  /// 32 or more; weight gradient 0.89–2.0× (below 1 only for 16→16 at 8×8). So: forward when
  /// the input has 32 channels or more, or the output 48 or more; data gradient when the
  /// output has 32 or more; weight gradient always. Counts are taken in whole 16-channel
  /// blocks (a pruned 20-channel layer runs as 32 in the blocked layout).
  ///
  /// These rules set each layer's speed: when they change, bump
  /// ``LibraryVersions/engineKernels`` so that cached latency grids are measured again.
  func candidates(for geometry: ConvGeometry, pass: Pass) -> [dnnl_alg_kind_t] {
    guard self == .winograd, geometry.kernelH == 3, geometry.kernelW == 3,
      geometry.strideH == 1, geometry.strideW == 1
    else { return [dnnl_convolution_direct] }
    let block = 16
    let inputs = (geometry.inChannels + block - 1) / block * block
    let outputs = (geometry.outChannels + block - 1) / block * block
    let pays: Bool
    switch pass {
    case .forward: pays = inputs >= 32 || outputs >= 48
    case .backwardData: pays = outputs >= 32
    case .backwardWeights: pays = true
    }
    return pays ? [dnnl_convolution_winograd, dnnl_convolution_direct] : [dnnl_convolution_direct]
  }
}
