import NeuralNet
import TensorCore

/// Where a criterion finds the tensors that belong to a convolution, by walking the graph.
///
/// - the conv nodes themselves, in graph order;
/// - the batch norm that directly consumes a conv (for `bn` and `taylor`);
/// - the conv's *activation*: the first ReLU reachable from the conv through batch norm and
///   additions (for `apoz`, `hrank`, `frs`). For a plain `conv → bn → relu` that is the ReLU
///   after the BN; for a ResNet block's second conv (`conv2 → bn2 → add → relu2`) and an
///   option-B shortcut conv it is the ReLU after the addition, the block output (as in HRank's
///   code, ALGORITHMS.md §6, and the FRS code, §5.3 step 6). Its channel `c` is the conv's
///   channel `c` because additions and batch norm keep channels in place.
struct ConvGraph {
  /// The network walked.
  let network: Network

  /// Conv node names in graph order.
  var convNames: [String] {
    network.nodes.compactMap { node in
      if case .conv = node.operation { return node.name }
      return nil
    }
  }

  /// The conv spec of `name`.
  func convSpec(_ name: String) -> ConvSpec? {
    if case .conv(let c)? = network.node(named: name)?.operation { return c }
    return nil
  }

  /// The batch-norm node that reads conv `name` directly, if any.
  func batchNorm(after name: String) -> String? {
    network.consumers(of: name).first { consumer in
      if case .batchNorm = network.node(named: consumer)?.operation { return true }
      return false
    }
  }

  /// The first ReLU reachable from conv `name` through batch norm and additions (see the type
  /// documentation), or nil.
  func activation(after name: String) -> String? {
    var frontier = [name]
    var seen: Set<String> = []
    while !frontier.isEmpty {
      var next: [String] = []
      for current in frontier {
        for consumer in network.consumers(of: current) where !seen.contains(consumer) {
          seen.insert(consumer)
          switch network.node(named: consumer)?.operation {
          case .relu?: return consumer
          case .batchNorm?, .add?: next.append(consumer)
          default: break
          }
        }
      }
      frontier = next
    }
    return nil
  }

  /// The activation of every conv, or a ``CriterionError/noActivation(criterion:layer:)``.
  func activations(criterion: String) throws -> [String: String] {
    var result: [String: String] = [:]
    for conv in convNames {
      guard let act = activation(after: conv) else {
        throw CriterionError.noActivation(criterion: criterion, layer: conv)
      }
      result[conv] = act
    }
    return result
  }

  /// Conv `name`'s weights as an `N × (C·K²)` filter matrix.
  func filters(_ name: String, criterion: String) throws -> FilterMatrix {
    guard let spec = convSpec(name), let w = network.parameters[name + ".weight"] else {
      throw CriterionError.unsupportedOperation(criterion: criterion, node: name, kind: "missing")
    }
    do {
      return try FilterMatrix(
        rows: spec.outChannels, cols: spec.inChannels * spec.kernel * spec.kernel,
        values: w.scalars)
    } catch {
      throw CriterionError.numerical(
        criterion: criterion, layer: name, problem: "\(error)")
    }
  }

  /// Applies `perLayer` to every conv and packs the results.
  func scoreEach(criterion: String, _ perLayer: (String) throws -> [Double]) rethrows
    -> LayerScores
  {
    let names = convNames
    var scores: [String: [Double]] = [:]
    for name in names { scores[name] = try perLayer(name) }
    return LayerScores(criterion: criterion, layers: names, scores: scores)
  }
}
