import NeuralNet

/// Network Slimming's BN scale (Liu et al., ICCV 2017): `|γ_i|` of the batch norm that directly
/// consumes the conv (found with `Network.consumers(of:)`).
///
/// A conv that no batch norm reads (LeNet-5's convolutions) has no score, and the criterion
/// throws ``CriterionError/noBatchNorm(criterion:layer:)`` rather than invent one.
struct BatchNormScaleCriterion: Criterion {
  public let name = "bn"
  public let summary = "|γ| of the batch norm that follows the conv (Network Slimming, Liu 2017)"
  public let needs = CriterionNeeds.weights

  /// The criterion.
  public init() {}

  /// `|γ|` per channel of every conv.
  public func score(_ input: ScoringInput) throws -> LayerScores {
    let graph = ConvGraph(network: input.network)
    return try graph.scoreEach(criterion: name) { layer in
      guard let bn = graph.batchNorm(after: layer),
        let gamma = input.network.parameters[bn + ".weight"]
      else { throw CriterionError.noBatchNorm(criterion: name, layer: layer) }
      return gamma.scalars.map { abs(Double($0)) }
    }
  }
}
