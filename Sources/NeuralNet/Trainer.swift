import Datasets
import TensorCore

#if canImport(Glibc)
  import Glibc
#endif

/// Settings of a training run.
public struct TrainingOptions: Hashable, Sendable, Codable {
  /// Passes over the training split.
  public var epochs: Int = 1
  /// Images per step.
  public var batchSize: Int = 128
  /// Base learning rate.
  public var learningRate: Double = 0.1
  /// SGD momentum.
  public var momentum: Double = 0.9
  /// Nesterov momentum.
  public var nesterov: Bool = false
  /// With the one-cycle schedule, cycle the momentum against the rate between
  /// `momentum − momentumSwing` (at the peak rate) and `momentum + momentumSwing` (at both
  /// ends), as PyTorch's `OneCycleLR` does by default (0.85…0.95 around the default 0.9).
  public var cycleMomentum: Bool = false
  /// How far ``cycleMomentum`` moves the momentum either side of ``momentum``: PyTorch's
  /// `OneCycleLR` cycles between 0.85 and 0.95.
  public static let momentumSwing = 0.05
  /// L2 weight decay.
  public var weightDecay: Double = 5e-4
  /// Learning-rate schedule.
  public var schedule: LearningRateSchedule = .cosine
  /// Random crop + flip (`nil`: the data set's default — on for CIFAR, off for MNIST-like).
  public var augmentation: Augmentation? = nil
  /// Stop each epoch after this many batches (for quick runs and CI).
  public var maxBatchesPerEpoch: Int? = nil
  /// Label smoothing ε: targets `(1 − ε)·onehot + ε/K` (0: plain cross-entropy).
  public var labelSmoothing: Double = 0
  /// Epochs of linear warm-up: the scheduled rate is scaled by `(i + 1)/W` over the first `W`
  /// iterations (0: none).
  public var warmupEpochs: Int = 0

  /// Defaults: one epoch, batch 128, lr 0.1 cosine, momentum 0.9, weight decay 5e-4.
  public init() {}
}

/// A snapshot reported to the progress callback after each step.
public struct TrainingProgress: Sendable {
  /// 1-based epoch and its total.
  public internal(set) var epoch: Int
  public var epochs: Int
  /// 1-based batch within the epoch and the epoch's batch count.
  public var batch: Int
  public var batches: Int
  /// Mean loss and accuracy over the epoch so far.
  public internal(set) var loss: Double
  public internal(set) var accuracy: Double
  /// Learning rate used by this step.
  public var learningRate: Double
  /// Training throughput over the run so far.
  public internal(set) var imagesPerSecond: Double
  /// Seconds since the run began, and the estimate of seconds left.
  public var elapsed: Double
  public var eta: Double
}

/// What the progress callback wants next.
public enum TrainingControl: Sendable {
  /// Keep training.
  case proceed
  /// Stop after this step (Ctrl-C); the report says it was interrupted.
  case stop
}

/// One epoch's figures.
public struct EpochSummary: Hashable, Sendable, Codable {
  public internal(set) var epoch: Int
  public internal(set) var loss: Double
  public internal(set) var accuracy: Double
  public var learningRate: Double
  public internal(set) var seconds: Double
  public var images: Int
}

/// The outcome of ``Trainer/train(_:on:options:rng:progress:)``.
public struct TrainingReport: Hashable, Sendable, Codable {
  /// Per-epoch figures (a stopped epoch is included with what it reached).
  public var epochs: [EpochSummary]
  /// True when the progress callback stopped the run.
  public internal(set) var interrupted: Bool
  /// Wall seconds.
  public internal(set) var seconds: Double
  /// Images per second over the run.
  public internal(set) var imagesPerSecond: Double
}

/// Accuracy and loss of a network on a split.
public struct Metrics: Hashable, Sendable, Codable {
  /// Mean cross-entropy.
  public internal(set) var loss: Double
  /// Fraction classified correctly.
  public internal(set) var accuracy: Double
  /// Images evaluated.
  public var count: Int
  /// Images classified correctly.
  public var correct: Int

  /// Metrics from their parts.
  public init(loss: Double, accuracy: Double, count: Int, correct: Int) {
    self.loss = loss
    self.accuracy = accuracy
    self.count = count
    self.correct = correct
  }
}

/// Trains and evaluates networks; the engine's training loop. It never prints: progress goes
/// to the callback, which may stop the run.
public struct Trainer: Sendable {
  /// The compute context every step runs in.
  public let context: ComputeContext

  /// A trainer on `context`.
  public init(context: ComputeContext) { self.context = context }

  /// Trains `network` on `split` with SGD (a ``TrainingRun`` over all epochs), matching
  /// `distillation`'s teacher when given. Every random draw (shuffling, augmentation) comes
  /// from `rng`. A NaN or infinite loss — or an update that would make a weight NaN or
  /// infinite — stops the run with ``NeuralNetError/divergence`` and leaves the weights and
  /// statistics as they were before that step.
  public func train(
    _ network: inout Network, on split: DataSplit, options: TrainingOptions, rng: SeededRNG,
    distillation: Distillation? = nil,
    progress: (TrainingProgress) -> TrainingControl = { _ in .proceed }
  ) throws -> TrainingReport {
    var run = try TrainingRun(
      network: network, split: split, options: options, rng: rng, context: context,
      distillation: distillation)
    let start = MonotonicClock.seconds()
    var summaries: [EpochSummary] = []
    var interrupted = false
    defer { network = run.network }
    for epoch in 0..<options.epochs {
      let (summary, stopped) = try run.epoch(epoch, progress: progress)
      summaries.append(summary)
      if stopped {
        interrupted = true
        break
      }
    }
    let seconds = MonotonicClock.seconds() - start
    let images = summaries.reduce(0) { $0 + $1.images }
    return TrainingReport(
      epochs: summaries, interrupted: interrupted, seconds: seconds,
      imagesPerSecond: Double(images) / max(seconds, 1e-9))
  }

  /// Evaluates `network` (batch norm on running statistics) on the first `limit` images of
  /// `split` (all by default), in order. The last partial batch is padded with zero images whose
  /// outputs are ignored, so one executor serves the whole pass.
  public func evaluate(
    _ network: Network, on split: DataSplit, batchSize: Int = 250, limit: Int? = nil
  ) throws -> Metrics {
    guard split.imageShape == network.inputShape else {
      throw NeuralNetError.dataMismatch(
        "images are \(split.imageShape), \(network.name) takes \(network.inputShape)")
    }
    let count = min(limit ?? split.count, split.count)
    guard count > 0 else { throw NeuralNetError.dataMismatch("no images to evaluate") }
    let bs = min(batchSize, count)
    var net = network
    return try context.perform {
      let executor = try Executor(network: net, batch: bs, training: false, context: context)
      return try executor.evaluate(&net, on: split, count: count)
    }
  }
}
