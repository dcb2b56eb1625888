import NeuralNet
import TensorCore

#if canImport(Glibc)
  import Glibc
#endif

/// Feature relevance score (Aketi et al., IEEE Access 2020; ALGORITHMS.md §5.3): how much a
/// channel contributes to the correct class, by layer-wise relevance propagation.
///
/// 1. Inference-mode forward on the seeded choice of images; the relevance at the logits is the
///    one-hot ground-truth label.
/// 2. Relevance is propagated down the graph with the αβ rule (α = 2, β = 1) through conv and
///    linear layers, unchanged through batch norm and ReLU, and by the rules of
///    `RelevancePropagation` through pools, additions and option-A shortcuts.
/// 3. A channel's per-image score is the mean over `H×W` of the relevance at the conv's
///    position: its activation, the first ReLU after its batch norm (for a ResNet block's second
///    conv and an option-B shortcut conv, the ReLU after the addition — the block output, as in
///    the FRS code).
/// 4. Per class `c`: `S_c` = sum of the per-image scores of the images labelled `c`, `n_c` their
///    count. Class weights from the per-class accuracy `acc_c` of the same images:
///    `a_c = acc_c / max acc`, `w_c = sigmoid(1/a_c)` (1 when `a_c = 0`), so poorly classified
///    classes weigh more; `classWeighted: false` sets every `w_c = 1`.
/// 5. `FRS = | mean_c (w_c S_c / n_c) |` over the classes present among the images (the code
///    averages over all classes of the training set, where all are present), then
///    L2-normalised within the layer: `FRS / (‖FRS‖₂ + 1e-9)`.
///
/// The code runs over the whole training set; here the images are ``ScoringInput/batches`` ×
/// ``ScoringInput/batchSize``, and the class accuracies come from the same images rather than a
/// separate pass.
struct FeatureRelevanceCriterion: Criterion, CollectingCriterion {
  public let name = "frs"
  public let summary =
    "feature relevance by LRP (α=2, β=1) from the true label, class-weighted (Aketi 2020)"
  public let needs = CriterionNeeds.data
  /// α of the αβ rule (β = α − 1).
  public internal(set) var alpha: Double
  /// Whether classes are weighted by `sigmoid(1/a_c)`.
  var classWeighted: Bool

  /// The criterion with the paper's α = 2 and class weighting.
  public init(alpha: Double = 2, classWeighted: Bool = true) {
    self.alpha = alpha
    self.classWeighted = classWeighted
  }

  var pass: CollectionPass { .inference }

  /// Runs the inference pass and the relevance propagation, and scores every conv.
  public func score(_ input: ScoringInput) throws -> LayerScores {
    try collectScores(input)
  }

  func makeAccumulator(network: Network) throws -> any ActivationAccumulator {
    guard alpha >= 1, alpha.isFinite else {
      throw CriterionError.invalidOption(
        criterion: name, option: "alpha", value: "\(alpha)", expected: "a finite value ≥ 1")
    }
    let graph = ConvGraph(network: network)
    return try FeatureRelevanceAccumulator(
      criterion: name, network: network, layers: graph.convNames,
      positions: try graph.activations(criterion: name), alpha: alpha,
      classWeighted: classWeighted)
  }
}

final class FeatureRelevanceAccumulator: ActivationAccumulator {
  let criterion: String
  let layers: [String]
  let positions: [String: String]
  let propagation: RelevancePropagation
  let classes: Int
  let classWeighted: Bool
  /// `sums[layer][class * C + channel]`.
  var sums: [String: [Double]] = [:]
  var counts: [Int]
  var correct: [Int]

  init(
    criterion: String, network: Network, layers: [String], positions: [String: String],
    alpha: Double, classWeighted: Bool
  ) throws {
    self.criterion = criterion
    self.layers = layers
    self.positions = positions
    self.propagation = try RelevancePropagation(
      network: network, alpha: alpha, criterion: criterion)
    self.classes = network.classes
    self.classWeighted = classWeighted
    counts = Array(repeating: 0, count: network.classes)
    correct = Array(repeating: 0, count: network.classes)
  }

  func consume(_ batch: CollectedBatch) throws {
    let n = batch.labels.count
    var initial = [Double](repeating: 0, count: n * classes)
    let logits = batch.logits.scalars
    for (s, label) in batch.labels.enumerated() {
      let c = Int(label)
      guard c >= 0, c < classes else {
        throw CriterionError.invalidOption(
          criterion: criterion, option: "label", value: "\(label)",
          expected: "a class in 0..<\(classes)")
      }
      initial[s * classes + c] = 1
      counts[c] += 1
      let row = logits[(s * classes)..<((s + 1) * classes)]
      if let best = row.indices.max(by: { row[$0] < row[$1] || (row[$0] == row[$1] && $0 > $1) }),
        best - s * classes == c
      {
        correct[c] += 1
      }
    }
    var cache: [String: [Float]] = [:]
    let executor = batch.executor
    let relevance = try propagation.propagate(
      batch: n, outputRelevance: initial, keep: Set(positions.values), context: executor.context
    ) { name in
      if let hit = cache[name] { return hit }
      let values = try executor.activation(name).scalars
      cache[name] = values
      return values
    }
    for layer in layers {
      // positions comes from ConvGraph.activations, which has an entry for every conv layer.
      guard let position = positions[layer], let r = relevance[position],
        let shape = propagation.shapes[position]
      else {
        continue  // no relevance reached it: it contributes nothing
      }
      let c = shape[0]
      let plane = shape.dropFirst().reduce(1, *)
      var acc = sums[layer] ?? Array(repeating: 0, count: classes * c)
      for (s, label) in batch.labels.enumerated() {
        for ch in 0..<c {
          let base = (s * c + ch) * plane
          var total = 0.0
          for j in base..<(base + plane) { total += r[j] }
          acc[Int(label) * c + ch] += total / Double(plane)
        }
      }
      sums[layer] = acc
    }
  }

  /// `w_c` per class (0 for classes without images).
  func classWeights() -> [Double] {
    let accuracy = (0..<classes).map {
      counts[$0] > 0 ? Double(correct[$0]) / Double(counts[$0]) : 0
    }
    let best = accuracy.max() ?? 0
    return (0..<classes).map { c in
      guard counts[c] > 0 else { return 0 }
      guard classWeighted else { return 1 }
      let a = best > 0 ? accuracy[c] / best : 0
      return a > 0 ? 1 / (1 + exp(-1 / a)) : 1
    }
  }

  func finish() throws -> LayerScores {
    let weights = classWeights()
    let present = (0..<classes).filter { counts[$0] > 0 }
    var scores: [String: [Double]] = [:]
    for layer in layers {
      let c = positions[layer].flatMap { propagation.shapes[$0]?[0] } ?? 0
      let acc = sums[layer] ?? Array(repeating: 0, count: classes * c)
      var frs = (0..<c).map { ch in
        var total = 0.0
        for k in present { total += weights[k] * acc[k * c + ch] / Double(counts[k]) }
        return abs(total / Double(max(present.count, 1)))
      }
      let norm = frs.reduce(0) { $0 + $1 * $1 }.squareRoot()
      frs = frs.map { $0 / (norm + 1e-9) }
      scores[layer] = frs
    }
    return LayerScores(criterion: criterion, layers: layers, scores: scores)
  }
}
