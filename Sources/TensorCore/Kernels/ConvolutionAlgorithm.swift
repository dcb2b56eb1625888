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
  /// over the output channels in the data gradient, so a single 16-channel block there leaves
  /// it little to gain; and it computes whole 4×4 output tiles, so a 7×7 or 14×14 output wastes
  /// a quarter of its work and a 2×2 one three quarters. Measured with `shears-microbench`
  /// (SHEARS_GRID=1, 2 threads, batch 128, 3×3 stride 1; Intel Xeon with AVX-512, 2026-12-06),
  /// direct time over Winograd time:
  /// - forward: 0.58–0.98 with 16 outputs at 16, 14, 8 and 7 pixels (1.1–1.3 at 32); 0.72–0.87
  ///   with 16 inputs at 14 and 7 pixels (0.74–0.83 at 28 into 96–128); 0.92–1.07 into 32
  ///   outputs at 7; 0.27–0.63 at 2 pixels (vgg16's last three convs); 1.1–3.9 elsewhere.
  /// - data gradient: 0.76–0.99 with 16 inputs below 28 pixels; 0.3–0.6 at 2 pixels; 1.0–3.4
  ///   elsewhere with 32 outputs or more.
  /// - weight gradient: 1.0–2.6 at 28 and 32 pixels; at 14 and 16, 0.68–0.87 into 16 outputs;
  ///   at 8 and 7, 0.40–0.98 unless both sides are wide (in × out ≥ 2048 channels² at 8 and
  ///   4 pixels, ≥ 3072 at 7); at 2, 0.26–0.95 unless both have 256 or more.
  /// So, with channel counts in whole 16-channel blocks (a pruned 20-channel layer runs as 32)
  /// and `p` the output's smaller side: forward when the input has 32 or more, `p ≥ 4`, the
  /// output 32 or more (any at `p ≥ 28`) and, where 4×4 tiles do not fit `p`, 48 or more;
  /// data gradient when the output has 32 or more, `p ≥ 4` and the input 32 or more (any at
  /// `p ≥ 28`); weight gradient always at `p ≥ 28`, with 32 outputs or more at `p ≥ 9`, with
  /// both sides 32 or more and in × out ≥ 2048 (3072 where tiles do not fit) at `p ≥ 3`, and
  /// with both 256 or more below. (The rules before 2026-12-06 ignored the image size: fitted
  /// on resnet's 32/16/8 pixels, they ran vgg16's 2×2 layers 2–3× slower than direct.)
  ///
  /// The rules are that machine's (a Xeon with AMX), not every CPU's. On an Ice Lake Xeon
  /// (family 6, model 106, 2 vCPU; 2026-12-07, the same protocol, forward) Winograd also pays
  /// where the rules run direct because one side has a single 16-channel block: 16 → 32…64
  /// channels at 16 and 8 pixels 1.18–1.37×, 32…64 → 16 at 16 and 8 pixels 1.24–1.52×, while
  /// 16 → 16 stays even (0.96–1.01) and 16 → 32…64 at 32 pixels loses (0.92–0.96). The rules
  /// were left as they are: they are what every recorded session's numerics were computed
  /// with, and a per-CPU rule set needs measurements of each CPU it names.
  ///
  /// These rules set each layer's speed: when they change, bump
  /// ``LibraryVersions/engineKernels`` so that cached latency grids are measured again.
  func candidates(for geometry: ConvGeometry, pass: Pass) -> [dnnl_alg_kind_t] {
    guard self == .winograd, geometry.kernelH == 3, geometry.kernelW == 3,
      geometry.strideH == 1, geometry.strideW == 1
    else { return [dnnl_convolution_direct] }
    let pays = Self.winogradPays(
      inputs: geometry.inChannels, outputs: geometry.outChannels,
      pixels: min(geometry.outHeight, geometry.outWidth), pass: pass)
    return pays ? [dnnl_convolution_winograd, dnnl_convolution_direct] : [dnnl_convolution_direct]
  }

  /// Whether Winograd runs `pass` of a 3×3 stride-1 convolution with these channel counts and
  /// this smaller output side (the rules of ``candidates(for:pass:)``).
  static func winogradPays(inputs: Int, outputs: Int, pixels p: Int, pass: Pass) -> Bool {
    let block = 16
    let i = (inputs + block - 1) / block * block
    let o = (outputs + block - 1) / block * block
    let tilesFit = p % 4 == 0
    switch pass {
    case .forward:
      return i >= 32 && p >= 4 && (o >= 32 || p >= 28) && (tilesFit || o >= 48)
    case .backwardData:
      return o >= 32 && p >= 4 && (i >= 32 || p >= 28)
    case .backwardWeights:
      if p >= 28 { return true }
      if p >= 9 { return o >= 32 }
      if p >= 3 { return i >= 32 && o >= 32 && i * o >= (tilesFit ? 2048 : 3072) }
      return i >= 256 && o >= 256
    }
  }
}
