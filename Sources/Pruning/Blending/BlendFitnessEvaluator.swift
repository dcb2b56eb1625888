import Datasets
import NeuralNet
import TensorCore

/// The one fitness function of the search: a pure function of (model, fitness data, genomes)
/// → measurements, free of shell state, so a generation can be evaluated anywhere (a later
/// scheduler fans generations out to workers).
///
/// Every genome of a space prunes the same number of channels per group, so the pruned
/// network's shape never changes: the evaluator builds its ``PrunedTemplate`` and executors
/// (inference, and training for batch-norm recalibration) once, and per genome only copies the
/// kept weights in, re-estimates batch-norm statistics on the recalibration images (when
/// given), and runs the fitness images forward.
///
/// ```swift
/// let evaluator = try BlendFitnessEvaluator(network: net, space: space, data: data, context: ctx)
/// let measures = try evaluator.evaluate([space.uniform, space.oneHot("l1")])
/// ```
public final class BlendFitnessEvaluator {
  /// The search problem.
  public let space: BlendSpace
  /// The images.
  public let data: FitnessData
  private let context: ComputeContext
  private var template: PrunedTemplate
  private var inference: Executor?
  private var recalibrator: Executor?

  /// Prepares the evaluation of `space`'s genomes on `network` with `data`.
  public init(network: Network, space: BlendSpace, data: FitnessData, context: ComputeContext)
    throws
  {
    guard data.images.imageShape == network.inputShape else {
      throw BlendError.data(
        "the images are \(data.images.imageShape), the model takes \(network.inputShape)")
    }
    self.space = space
    self.data = data
    self.context = context
    template = try PrunedTemplate(
      network: network,
      removedCounts: Dictionary(uniqueKeysWithValues: space.groups.map { ($0.id, $0.removed) }))
    guard template.groups.map(\.id) == space.groups.map(\.id) else {
      throw BlendError.modelMismatch("the space's groups are not the model's")
    }
  }

  /// The pruned network for `genome` (weights copied, statistics recalibrated if asked).
  public func prunedNetwork(_ genome: BlendGenome) throws -> Network {
    try prepare(removed: space.removed(genome))
  }

  /// Measures every genome, in order; `stop` is polled between genomes and the measurements
  /// made so far are returned when it says so; `done` hears the count after each.
  public func evaluate(
    _ genomes: [BlendGenome], stop: () -> Bool = { false }, done: (Int) -> Void = { _ in }
  ) throws -> [FitnessMeasure] {
    var result: [FitnessMeasure] = []
    for g in genomes {
      if stop() { break }
      result.append(try measure(removed: space.removed(g)))
      done(result.count)
    }
    return result
  }

  /// Measures the pruned network that removes `removed` (per group).
  public func measure(removed: [[Int]]) throws -> FitnessMeasure {
    var net = try prepare(removed: removed)
    let count = data.images.count
    let bs = min(data.batchSize, count)
    let metrics = try context.perform {
      let executor =
        try inference ?? Executor(network: net, batch: bs, training: false, context: context)
      inference = executor
      return try executor.evaluate(&net, on: data.images, count: count)
    }
    return FitnessMeasure(accuracy: metrics.accuracy, loss: metrics.loss)
  }

  private func prepare(removed: [[Int]]) throws -> Network {
    try template.fill(removed: removed)
    var net = template.network
    if let recal = data.recalibration, recal.count > 0 {
      let b = min(data.batchSize, recal.count)
      try context.perform {
        let executor =
          try recalibrator ?? Executor(network: net, batch: b, training: true, context: context)
        recalibrator = executor
        try executor.recalibrateBatchNorm(&net, on: recal, batches: recal.count / b)
      }
    }
    return net
  }
}
