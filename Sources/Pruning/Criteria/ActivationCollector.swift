import Datasets
import NeuralNet
import TensorCore

/// How the data-driven criteria see the network: inference (batch norm on running statistics,
/// activations only) or training (batch statistics, with a backward pass of the mean
/// cross-entropy).
enum CollectionPass: Sendable {
  case inference
  case training
}

/// One batch after the forward (and, in a training pass, backward) pass.
struct CollectedBatch {
  /// The executor that ran it: `activation(_:)`, and in training `activationGradient(_:)` and
  /// `parameterGradients`.
  let executor: Executor
  /// The network copy the pass runs on (its BN running statistics change in training).
  let network: Network
  /// The images, plain NCHW.
  let images: [Float]
  /// One label per image.
  let labels: [Int32]
  /// The logits, plain `[batch, classes]`.
  let logits: Tensor
}

/// State a data-driven criterion keeps over the batches of one collection pass.
protocol ActivationAccumulator: AnyObject {
  /// Reads what it needs from one batch.
  func consume(_ batch: CollectedBatch) throws
  /// The scores after the last batch.
  func finish() throws -> LayerScores
}

/// A criterion that reads images through an ``ActivationCollector``.
protocol CollectingCriterion: Criterion {
  /// The kind of pass it needs.
  var pass: CollectionPass { get }
  /// Fresh state for one pass over `network`.
  func makeAccumulator(network: Network) throws -> any ActivationAccumulator
}

extension CollectingCriterion {
  /// Runs a pass for this criterion alone.
  func collectScores(_ input: ScoringInput) throws -> LayerScores {
    try ActivationCollector(input: input).run([self])[0]
  }
}

/// Runs `batches` batches of a fixed, seeded choice of images through an ``Executor`` built on a
/// copy of the network, and hands every batch to the accumulators of the criteria that share
/// the pass (one inference pass for apoz, hrank and frs; one training pass for taylor).
///
/// The images: a permutation drawn from `input.rng.derived("criteria.images")`, cut into
/// batches of `min(batchSize, count)` images, at most `batches` of them and at least one; no
/// image is used twice.
struct ActivationCollector {
  let input: ScoringInput

  /// The image indices of each batch.
  static func batchIndices(count: Int, batches: Int, batchSize: Int, rng: SeededRNG) -> [[Int]] {
    let size = min(batchSize, count)
    let n = max(1, min(batches, count / max(size, 1)))
    var r = rng
    let order = r.permutation(count)
    return (0..<n).map { Array(order[($0 * size)..<(($0 + 1) * size)]) }
  }

  /// Checks the data split against the network for `criterion`.
  func checkedData(for criterion: String) throws -> DataSplit {
    guard let data = input.data else { throw CriterionError.missingData(criterion: criterion) }
    guard data.imageShape == input.network.inputShape else {
      throw CriterionError.dataMismatch(
        criterion: criterion, imageShape: data.imageShape, networkInput: input.network.inputShape)
    }
    guard data.count > 0 else {
      throw CriterionError.invalidOption(
        criterion: criterion, option: "data", value: "an empty split", expected: "images")
    }
    guard input.batches >= 1 else {
      throw CriterionError.invalidOption(
        criterion: criterion, option: "batches", value: "\(input.batches)", expected: "1 or more")
    }
    guard input.batchSize >= 1 else {
      throw CriterionError.invalidOption(
        criterion: criterion, option: "batch size", value: "\(input.batchSize)",
        expected: "1 or more")
    }
    return data
  }

  /// Scores `criteria` (in order), running one pass per kind of pass they need.
  func run(_ criteria: [any CollectingCriterion]) throws -> [LayerScores] {
    var results: [LayerScores?] = Array(repeating: nil, count: criteria.count)
    for pass in [CollectionPass.inference, .training] {
      let members = criteria.indices.filter { criteria[$0].pass == pass }
      guard let first = members.first else { continue }
      let data = try checkedData(for: criteria[first].name)
      let accumulators = try members.map {
        try criteria[$0].makeAccumulator(network: input.network)
      }
      try collect(pass: pass, data: data, into: accumulators)
      for (i, acc) in zip(members, accumulators) { results[i] = try acc.finish() }
    }
    // Every criterion's pass ran above and filled its slot.
    return results.compactMap { $0 }
  }

  private func collect(
    pass: CollectionPass, data: DataSplit, into accumulators: [any ActivationAccumulator]
  ) throws {
    let batches = ActivationCollector.batchIndices(
      count: data.count, batches: input.batches, batchSize: input.batchSize,
      rng: input.rng.derived("criteria.images"))
    var network = input.network
    let training = pass == .training
    try input.context.perform {
      // Unfused: criteria read the output of any node, inside conv–BN–ReLU chains too.
      let executor = try Executor(
        network: network, batch: batches[0].count, training: training, context: input.context,
        fuse: false)
      for indices in batches {
        let chosen = data.selecting(indices)
        let logits = try chosen.images.withUnsafeBufferPointer {
          try executor.forward(&network, images: $0)
        }
        if training {
          let ce = try SoftmaxCrossEntropy.evaluate(logits: logits, labels: chosen.labels)
          try executor.backward(network, lossGradient: ce.gradient)
        }
        let batch = CollectedBatch(
          executor: executor, network: network, images: chosen.images, labels: chosen.labels,
          logits: logits)
        for acc in accumulators { try acc.consume(batch) }
      }
    }
  }
}
