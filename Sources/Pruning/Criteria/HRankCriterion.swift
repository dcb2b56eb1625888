import NeuralNet
import TensorCore

/// HRank (Lin et al., CVPR 2020): the average matrix rank of a channel's feature maps,
///
///     score_i = (1/N) Σ_n rank(A_{n,i}),
///
/// with `A_{n,i}` the `H×W` map of channel `i` for image `n` at the conv's activation (the
/// first ReLU after the conv's batch norm; for a ResNet block's second conv, the ReLU after the
/// addition, as the HRank code hooks it — see `ConvGraph`). Ranks by LAPACK SVD with NumPy's
/// `matrix_rank` tolerance `σ_max · max(H, W) · ε_float32` (`MatrixRank`). Inference mode, on
/// the seeded choice of images of ``ScoringInput``.
struct HRankCriterion: Criterion, ActivationStatisticCriterion {
  typealias Accumulator = HRankAccumulator

  public let name = "hrank"
  public let summary = "average rank of the channel's feature maps (HRank, Lin et al. 2020)"
  public let needs = CriterionNeeds.data

  /// The criterion.
  public init() {}

  /// Runs the inference pass and scores every conv.
  public func score(_ input: ScoringInput) throws -> LayerScores {
    try collectScores(input)
  }
}

final class HRankAccumulator: ActivationStatisticAccumulator {
  let sites: ActivationSites
  var rankSums: [String: [Double]] = [:]
  var images = 0

  init(sites: ActivationSites) { self.sites = sites }

  func consume(_ batch: CollectedBatch) throws {
    var n = 0
    for (layer, activation) in sites.sites {
      let a = try batch.executor.activation(activation)
      let (c, h, w) = (a.shape[1], a.shape[2], a.shape[3])
      n = a.shape[0]
      var sums = rankSums[layer] ?? Array(repeating: 0, count: c)
      var ranker = MatrixRank(rows: h, cols: w)
      // The loops run only for a non-empty activation, whose base address exists.
      try a.withUnsafeBufferPointer { p in
        for s in 0..<n {
          for ch in 0..<c {
            guard let r = ranker.rank(p.baseAddress! + (s * c + ch) * h * w) else {
              throw CriterionError.numerical(
                criterion: sites.criterion, layer: layer,
                problem: "the SVD of a feature map failed (non-finite activations?)")
            }
            sums[ch] += Double(r)
          }
        }
      }
      rankSums[layer] = sums
    }
    images += n
  }

  func finish() throws -> LayerScores {
    let count = Double(max(images, 1))
    var scores: [String: [Double]] = [:]
    for layer in sites.layers { scores[layer] = (rankSums[layer] ?? []).map { $0 / count } }
    return LayerScores(criterion: sites.criterion, layers: sites.layers, scores: scores)
  }
}
