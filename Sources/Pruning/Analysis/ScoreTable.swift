import NeuralNet

/// Several criteria's scores on the same layers, checked and laid out as
/// `values[criterion][layer][filter]` for the analyses.
public struct ScoreTable: Sendable {
  /// Criterion names, in the order given.
  public let criteria: [String]
  /// The selected layers, in graph order.
  public let layers: [String]
  /// `values[q][l]`: criterion `q`'s scores of layer `layers[l]`.
  public let values: [[[Double]]]

  /// Checks `sets` (at least one, distinct names, every selected layer scored by every
  /// criterion with the same number of finite scores, matching the conv's output channels when
  /// `network` is given) and selects the layers from the first set's layer list.
  public init(
    _ sets: [LayerScores], selection: AnalysisLayerSelection, network: Network?
  ) throws(AnalysisError) {
    guard let first = sets.first else { throw .noCriteria }
    var seen: Set<String> = []
    for set in sets where !seen.insert(set.criterion).inserted {
      throw .duplicateCriterion(name: set.criterion)
    }
    let layers = try selection.resolve(candidates: first.layers, network: network)
    let graph = network.map { ConvGraph(network: $0) }
    var values: [[[Double]]] = []
    for set in sets {
      var perLayer: [[Double]] = []
      for layer in layers {
        guard let scores = set.scores[layer] else {
          throw .missingLayer(criterion: set.criterion, layer: layer)
        }
        var expected = first.scores[layer]?.count ?? 0
        if let graph {
          guard let spec = graph.convSpec(layer) else { throw .missingWeights(layer: layer) }
          expected = spec.outChannels
        }
        guard scores.count == expected else {
          throw .scoreCountMismatch(
            layer: layer, criterion: set.criterion, expected: expected, actual: scores.count)
        }
        if let bad = scores.firstIndex(where: { !$0.isFinite }) {
          throw .nonFiniteScore(criterion: set.criterion, layer: layer, index: bad)
        }
        perLayer.append(scores)
      }
      values.append(perLayer)
    }
    self.criteria = sets.map(\.criterion)
    self.layers = layers
    self.values = values
  }

  /// Number of filters of layer `l`.
  public func filters(_ l: Int) -> Int { values[0][l].count }
}

/// Checks that `ratio` lies in [0, 1].
func checkRatio(_ ratio: Double) throws(AnalysisError) {
  guard ratio >= 0, ratio <= 1 else { throw .invalidRatio(ratio) }
}
