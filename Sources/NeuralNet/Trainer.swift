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
  /// L2 weight decay.
  public var weightDecay: Double = 5e-4
  /// Learning-rate schedule.
  public var schedule: LearningRateSchedule = .cosine
  /// Random crop + flip (`nil`: the data set's default — on for CIFAR, off for MNIST-like).
  public var augmentation: Augmentation? = nil
  /// Stop each epoch after this many batches (for quick runs and CI).
  public var maxBatchesPerEpoch: Int? = nil

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

  /// Trains `network` on `split` with SGD. Every random draw (shuffling, augmentation) comes
  /// from `rng`. A NaN or infinite loss — or an update that would make a weight NaN or
  /// infinite — stops the run with ``NeuralNetError/divergence`` and leaves the weights and
  /// statistics as they were before that step.
  public func train(
    _ network: inout Network, on split: DataSplit, options: TrainingOptions, rng: SeededRNG,
    progress: (TrainingProgress) -> TrainingControl = { _ in .proceed }
  ) throws -> TrainingReport {
    guard split.imageShape == network.inputShape else {
      throw NeuralNetError.dataMismatch(
        "images are \(split.imageShape), \(network.name) takes \(network.inputShape)")
    }
    guard options.epochs > 0, options.batchSize > 0, options.learningRate > 0 else {
      throw NeuralNetError.invalidOption("epochs, batch size and learning rate must be positive")
    }
    let batchSize = min(options.batchSize, split.count)
    let sampler = try BatchSampler(
      batchSize: batchSize, shuffle: true, dropLast: true,
      augmentation: options.augmentation ?? .none, rng: rng.derived("train.batches"))
    var batches = sampler.batchCount(for: split.count)
    if let limit = options.maxBatchesPerEpoch { batches = min(batches, max(1, limit)) }
    var sgd = SGD(
      momentum: Float(options.momentum), nesterov: options.nesterov,
      weightDecay: Float(options.weightDecay))
    let start = MonotonicClock.seconds()
    var summaries: [EpochSummary] = []
    var interrupted = false
    var imagesSeen = 0
    let totalSteps = batches * options.epochs
    var net = network
    try context.perform {
      let executor = try Executor(network: net, batch: batchSize, training: true, context: context)
      var batch = Batch()
      epochs: for epoch in 0..<options.epochs {
        let epochStart = MonotonicClock.seconds()
        var iterator = sampler.epoch(epoch, of: split)
        var lossSum = 0.0
        var correct = 0
        var seen = 0
        var lr = options.learningRate
        for b in 0..<batches {
          guard iterator.next(into: &batch) else { break }
          lr = options.schedule.rate(
            base: options.learningRate, epoch: epoch, batch: b, batchesPerEpoch: batches,
            epochs: options.epochs)
          let savedBuffers = net.buffers
          let logits = try batch.images.withUnsafeBufferPointer {
            try executor.forward(&net, images: $0)
          }
          let ce = try SoftmaxCrossEntropy.evaluate(logits: logits, labels: batch.labels)
          guard ce.loss.isFinite else {
            net.buffers = savedBuffers
            network = net
            throw NeuralNetError.divergence(epoch: epoch + 1, batch: b + 1, loss: ce.loss)
          }
          try executor.backward(net, lossGradient: ce.gradient)
          guard sgd.step(&net, gradients: executor.parameterGradients, learningRate: Float(lr))
          else {
            net.buffers = savedBuffers
            network = net
            throw NeuralNetError.divergence(epoch: epoch + 1, batch: b + 1, loss: ce.loss)
          }
          lossSum += ce.loss * Double(batch.count)
          correct += ce.correct
          seen += batch.count
          imagesSeen += batch.count
          let elapsed = MonotonicClock.seconds() - start
          let done = epoch * batches + b + 1
          let control = progress(
            TrainingProgress(
              epoch: epoch + 1, epochs: options.epochs, batch: b + 1, batches: batches,
              loss: lossSum / Double(seen), accuracy: Double(correct) / Double(seen),
              learningRate: lr, imagesPerSecond: Double(imagesSeen) / max(elapsed, 1e-9),
              elapsed: elapsed, eta: elapsed / Double(done) * Double(totalSteps - done)))
          if case .stop = control {
            interrupted = true
          }
          if interrupted { break }
        }
        summaries.append(
          EpochSummary(
            epoch: epoch + 1, loss: seen > 0 ? lossSum / Double(seen) : .nan,
            accuracy: seen > 0 ? Double(correct) / Double(seen) : 0, learningRate: lr,
            seconds: MonotonicClock.seconds() - epochStart, images: seen))
        if interrupted { break epochs }
      }
    }
    network = net
    let seconds = MonotonicClock.seconds() - start
    return TrainingReport(
      epochs: summaries, interrupted: interrupted, seconds: seconds,
      imagesPerSecond: Double(imagesSeen) / max(seconds, 1e-9))
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
