import NeuralNet
import TensorCore

/// APoZ, the average percentage of zeros of a channel's activation (Hu et al. 2016, "Network
/// Trimming"), flipped so that larger = keep:
///
///     score_i = 1 − (1/(N·H·W)) Σ_n Σ_{u,v} 1[A_{n,i}(u,v) = 0].
///
/// `A` is the conv's activation: the first ReLU reachable from the conv through its batch norm
/// (for a ResNet block's second conv and an option-B shortcut conv, the ReLU after the
/// addition; see `ConvGraph`). Inference mode (BN on running statistics), on the seeded choice
/// of images of ``ScoringInput``.
struct APoZCriterion: Criterion, ActivationStatisticCriterion {
  typealias Accumulator = APoZAccumulator

  public let name = "apoz"
  public let summary = "1 − average percentage of zeros after the ReLU (Network Trimming, Hu 2016)"
  public let needs = CriterionNeeds.data

  /// The criterion.
  public init() {}

  /// Runs the inference pass and scores every conv.
  public func score(_ input: ScoringInput) throws -> LayerScores {
    try collectScores(input)
  }
}

final class APoZAccumulator: ActivationStatisticAccumulator {
  let sites: ActivationSites
  var zeros: [String: [Int]] = [:]
  var totals: [String: Int] = [:]

  init(sites: ActivationSites) { self.sites = sites }

  func consume(_ batch: CollectedBatch) throws {
    for (layer, activation) in sites.sites {
      let a = try batch.executor.activation(activation)
      let (n, c) = (a.shape[0], a.shape[1])
      let plane = a.count / max(n * c, 1)
      var z = zeros[layer] ?? Array(repeating: 0, count: c)
      a.withUnsafeBufferPointer { p in
        for s in 0..<n {
          for ch in 0..<c {
            let base = (s * c + ch) * plane
            var count = 0
            for j in base..<(base + plane) where p[j] <= 0 { count += 1 }
            z[ch] += count
          }
        }
      }
      zeros[layer] = z
      totals[layer, default: 0] += n * plane
    }
  }

  func finish() throws -> LayerScores {
    var scores: [String: [Double]] = [:]
    for layer in sites.layers {
      let total = Double(max(totals[layer] ?? 0, 1))
      scores[layer] = (zeros[layer] ?? []).map { 1 - Double($0) / total }
    }
    return LayerScores(criterion: sites.criterion, layers: sites.layers, scores: scores)
  }
}
