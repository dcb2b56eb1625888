import NeuralNet
import TensorCore

/// Where a per-channel activation statistic is read: every conv layer of the network in graph
/// order, paired with the activation node measured for it (``ConvGraph/activations(criterion:)``:
/// the first ReLU after the conv's batch norm, or after the addition for a block's last conv).
struct ActivationSites: Sendable {
  /// The criterion the sites are read for (named in errors and in the scores).
  let criterion: String
  /// Conv layers in graph order, each with its activation node.
  let sites: [(layer: String, activation: String)]

  /// The sites of `network`'s convs; throws ``CriterionError/noActivation(criterion:layer:)``
  /// for a conv no ReLU follows.
  init(criterion: String, network: Network) throws {
    let graph = ConvGraph(network: network)
    let activations = try graph.activations(criterion: criterion)
    self.criterion = criterion
    self.sites = try graph.convNames.map { layer in
      guard let activation = activations[layer] else {
        throw CriterionError.noActivation(criterion: criterion, layer: layer)
      }
      return (layer, activation)
    }
  }

  /// The conv layers, in graph order.
  var layers: [String] { sites.map(\.layer) }
}

/// The state of an ``ActivationStatisticCriterion``: built from the sites, fed batch by batch.
protocol ActivationStatisticAccumulator: ActivationAccumulator {
  /// Fresh state for one pass.
  init(sites: ActivationSites)
}

/// A data-driven criterion that reads one per-channel statistic of each conv's activation in an
/// inference pass (APoZ, HRank): the pass, the sites and the accumulator's construction are
/// shared here; a new statistic only writes its accumulator.
protocol ActivationStatisticCriterion: CollectingCriterion {
  /// The per-pass state that computes the statistic.
  associatedtype Accumulator: ActivationStatisticAccumulator
}

extension ActivationStatisticCriterion {
  /// Activation statistics are read in inference mode (BN on running statistics).
  var pass: CollectionPass { .inference }

  /// A fresh ``Accumulator`` over `network`'s conv activations.
  func makeAccumulator(network: Network) throws -> any ActivationAccumulator {
    Accumulator(sites: try ActivationSites(criterion: name, network: network))
  }
}
