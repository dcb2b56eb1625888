import NeuralNet
import TensorCore

/// First-order Taylor importance in the form of Molchanov et al., CVPR 2019 ("Importance
/// Estimation for Neural Network Pruning"): the squared first-order change of the loss when
/// channel `i` is switched off, averaged over mini-batches,
///
///     Θ_i = mean over batches of ( ∂L/∂m_i )²,  m_i a gate multiplying channel i (at m_i = 1).
///
/// The gate sits where removing the filter acts:
/// - when a batch norm directly consumes the conv, on that BN's output — the BN-gate form
///   `∂L/∂m_i = γ_i ∂L/∂γ_i + β_i ∂L/∂β_i` (= `Σ y·∂L/∂y` over the batch and the map of the BN
///   output `y`);
/// - otherwise on the conv's output — `∂L/∂m_i = Σ_s w_s ∂L/∂w_s + b_i ∂L/∂b_i` over filter
///   `i`'s weights and bias (= `Σ z·∂L/∂z` of the conv output `z`), the weight form.
///
/// `L` is the mean cross-entropy of a batch. The gradients come from a training-mode pass on a
/// copy of the network (batch norm on batch statistics, as during fine-tuning), so the
/// caller's running statistics are untouched. No per-layer normalisation is applied (the
/// CVPR'19 criterion ranks globally as is).
struct TaylorCriterion: Criterion, CollectingCriterion {
  public let name = "taylor"
  public let summary =
    "first-order Taylor (Molchanov 2019): squared loss change of gating the channel (BN gate)"
  public let needs = CriterionNeeds.gradients

  /// The criterion.
  public init() {}

  var pass: CollectionPass { .training }

  /// Runs the training pass and scores every conv.
  public func score(_ input: ScoringInput) throws -> LayerScores {
    try collectScores(input)
  }

  func makeAccumulator(network: Network) throws -> any ActivationAccumulator {
    TaylorAccumulator(criterion: name, graph: ConvGraph(network: network))
  }
}

final class TaylorAccumulator: ActivationAccumulator {
  let criterion: String
  let graph: ConvGraph
  let layers: [String]
  var sums: [String: [Double]] = [:]
  var batches = 0

  init(criterion: String, graph: ConvGraph) {
    self.criterion = criterion
    self.graph = graph
    self.layers = graph.convNames
  }

  func consume(_ batch: CollectedBatch) throws {
    let grads = batch.executor.parameterGradients
    let params = batch.network.parameters
    for layer in layers {
      let gate = try gateGradient(layer, grads: grads, params: params)
      var acc = sums[layer] ?? Array(repeating: 0, count: gate.count)
      for i in gate.indices { acc[i] += gate[i] * gate[i] }
      sums[layer] = acc
    }
    batches += 1
  }

  /// `∂L/∂m_i` for every channel of `layer`.
  func gateGradient(_ layer: String, grads: [String: Tensor], params: [String: Tensor]) throws
    -> [Double]
  {
    func values(_ dict: [String: Tensor], _ path: String) throws -> [Float] {
      guard let t = dict[path] else {
        throw CriterionError.numerical(
          criterion: criterion, layer: layer, problem: "no value or gradient for \(path)")
      }
      return t.scalars
    }
    if let bn = graph.batchNorm(after: layer) {
      let gamma = try values(params, bn + ".weight")
      let beta = try values(params, bn + ".bias")
      let dGamma = try values(grads, bn + ".weight")
      let dBeta = try values(grads, bn + ".bias")
      return gamma.indices.map {
        Double(gamma[$0]) * Double(dGamma[$0]) + Double(beta[$0]) * Double(dBeta[$0])
      }
    }
    let w = try values(params, layer + ".weight")
    let dw = try values(grads, layer + ".weight")
    let n = graph.convSpec(layer)?.outChannels ?? 0
    let k = n > 0 ? w.count / n : 0
    var gate = (0..<n).map { i in
      var s = 0.0
      for j in (i * k)..<((i + 1) * k) { s += Double(w[j]) * Double(dw[j]) }
      return s
    }
    if graph.convSpec(layer)?.bias == true {
      let b = try values(params, layer + ".bias")
      let db = try values(grads, layer + ".bias")
      for i in 0..<n { gate[i] += Double(b[i]) * Double(db[i]) }
    }
    return gate
  }

  func finish() throws -> LayerScores {
    let count = Double(max(batches, 1))
    var scores: [String: [Double]] = [:]
    for layer in layers { scores[layer] = (sums[layer] ?? []).map { $0 / count } }
    return LayerScores(criterion: criterion, layers: layers, scores: scores)
  }
}
