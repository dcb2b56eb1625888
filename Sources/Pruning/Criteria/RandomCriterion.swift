import NeuralNet
import TensorCore

/// Uniform random scores in [0, 1), drawn from `input.rng.derived("criterion.random")` conv by
/// conv in graph order, channel by channel: the same generator gives the same scores. A strong
/// baseline once fine-tuning is long (Liu et al., ICLR 2019); report several seeds.
struct RandomCriterion: Criterion {
  public let name = "random"
  public let summary = "seeded uniform random scores (baseline)"
  public let needs = CriterionNeeds.weights

  /// The criterion.
  public init() {}

  /// One uniform draw per channel of every conv.
  public func score(_ input: ScoringInput) throws -> LayerScores {
    var rng = input.rng.derived("criterion.random")
    let graph = ConvGraph(network: input.network)
    return graph.scoreEach(criterion: name) { layer in
      let n = graph.convSpec(layer)?.outChannels ?? 0
      return (0..<n).map { _ in rng.nextDouble() }
    }
  }
}
