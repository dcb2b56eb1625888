import Datasets
import TensorCore

/// A training run taken one epoch at a time, for callers that change the network between
/// epochs (gradual pruning): the same loop, batches, learning-rate schedule and SGD update as
/// ``Trainer/train(_:on:options:rng:progress:)`` — epoch `e` of a run gives bit-identical
/// weights to epoch `e` of `train` with the same options and generator — with the network and
/// the optimizer state open to replacement between epochs.
///
/// ```swift
/// var run = try TrainingRun(network: net, split: d.train, options: o, rng: rng, context: c)
/// for e in 0..<o.epochs { _ = try run.epoch(e) }
/// ```
public struct TrainingRun {
  /// Where every step runs.
  public let context: ComputeContext
  /// The network as trained so far.
  public private(set) var network: Network
  /// The optimizer, with its momentum buffers.
  public private(set) var optimizer: SGD
  /// The options (``TrainingOptions/epochs`` is the length of the schedule).
  public let options: TrainingOptions
  /// Images per step.
  public let batchSize: Int
  /// Steps per epoch.
  public let batchesPerEpoch: Int
  /// Soft targets from a teacher, or nil.
  public let distillation: Distillation?
  let split: DataSplit
  let sampler: BatchSampler
  let start: Double
  var imagesSeen = 0

  /// A run over `split`; every random draw (shuffling, augmentation) comes from `rng`.
  public init(
    network: Network, split: DataSplit, options: TrainingOptions, rng: SeededRNG,
    context: ComputeContext, distillation: Distillation? = nil
  ) throws {
    guard split.imageShape == network.inputShape else {
      throw NeuralNetError.dataMismatch(
        "images are \(split.imageShape), \(network.name) takes \(network.inputShape)")
    }
    guard options.epochs > 0, options.batchSize > 0, options.learningRate > 0 else {
      throw NeuralNetError.invalidOption("epochs, batch size and learning rate must be positive")
    }
    guard split.count > 0 else { throw NeuralNetError.dataMismatch("the training split is empty") }
    guard options.labelSmoothing >= 0, options.labelSmoothing < 1, options.warmupEpochs >= 0 else {
      throw NeuralNetError.invalidOption(
        "label smoothing must be in [0, 1) and warm-up epochs at least 0")
    }
    try distillation?.validate(student: network)
    self.distillation = distillation
    self.context = context
    self.network = network
    self.options = options
    self.split = split
    batchSize = min(options.batchSize, split.count)
    sampler = try BatchSampler(
      batchSize: batchSize, shuffle: true, dropLast: true,
      augmentation: options.augmentation ?? .none, rng: rng.derived("train.batches"))
    var batches = sampler.batchCount(for: split.count)
    if let limit = options.maxBatchesPerEpoch { batches = min(batches, max(1, limit)) }
    batchesPerEpoch = batches
    optimizer = SGD(
      momentum: Float(options.momentum), nesterov: options.nesterov,
      weightDecay: Float(options.weightDecay))
    start = MonotonicClock.seconds()
  }

  /// Replaces the network and the optimizer between epochs (after surgery, with velocities
  /// cut like the weights). The input shape must stay.
  public mutating func replace(network: Network, optimizer: SGD) throws {
    guard network.inputShape == self.network.inputShape, network.classes == self.network.classes
    else {
      throw NeuralNetError.dataMismatch(
        "the replacement network takes \(network.inputShape) → \(network.classes) classes; the "
          + "run trains \(self.network.inputShape) → \(self.network.classes)")
    }
    self.network = network
    self.optimizer = optimizer
  }

  /// Trains epoch `epoch` (0-based, below ``TrainingOptions/epochs``). `afterStep` sees the
  /// network after each update (a masked run re-applies its masks there). Returns the epoch's
  /// figures and whether the progress callback stopped it; a divergence throws
  /// ``NeuralNetError/divergence`` with the network as it was before the failing step.
  public mutating func epoch(
    _ epoch: Int, progress: (TrainingProgress) -> TrainingControl = { _ in .proceed },
    afterStep: ((inout Network) -> Void)? = nil
  ) throws -> (summary: EpochSummary, interrupted: Bool) {
    guard epoch >= 0, epoch < options.epochs else {
      throw NeuralNetError.invalidOption("epoch \(epoch + 1) is outside 1...\(options.epochs)")
    }
    let epochStart = MonotonicClock.seconds()
    var net = network
    var sgd = optimizer
    var interrupted = false
    var lossSum = 0.0
    var correct = 0
    var seen = 0
    var lr = options.learningRate
    let batches = batchesPerEpoch
    let totalSteps = batches * options.epochs
    defer {
      network = net
      optimizer = sgd
    }
    try context.perform {
      let executor = try Executor(network: net, batch: batchSize, training: true, context: context)
      var teacher = distillation?.teacher
      let teacherExecutor = try teacher.map {
        try Executor(network: $0, batch: batchSize, training: false, context: context)
      }
      var batch = Batch()
      var iterator = sampler.epoch(epoch, of: split)
      for b in 0..<batches {
        guard iterator.next(into: &batch) else { break }
        lr = options.learningRate(epoch: epoch, batch: b, batchesPerEpoch: batches)
        sgd.momentum = Float(options.momentum(epoch: epoch, batch: b, batchesPerEpoch: batches))
        let savedBuffers = net.buffers
        let logits = try batch.images.withUnsafeBufferPointer {
          try executor.forward(&net, images: $0)
        }
        let ce: SoftmaxCrossEntropyResult
        if let kd = distillation, let teacherExecutor, var t = teacher {
          let soft = try batch.images.withUnsafeBufferPointer {
            try teacherExecutor.forward(&t, images: $0)
          }
          teacher = t
          ce = try TrainingLoss.evaluate(
            logits: logits, labels: batch.labels, smoothing: options.labelSmoothing,
            teacherLogits: soft, temperature: kd.temperature, alpha: kd.alpha)
        } else if options.labelSmoothing > 0 {
          ce = try TrainingLoss.evaluate(
            logits: logits, labels: batch.labels, smoothing: options.labelSmoothing)
        } else {
          ce = try SoftmaxCrossEntropy.evaluate(logits: logits, labels: batch.labels)
        }
        guard ce.loss.isFinite else {
          net.buffers = savedBuffers
          throw NeuralNetError.divergence(epoch: epoch + 1, batch: b + 1, loss: ce.loss)
        }
        try executor.backward(net, lossGradient: ce.gradient)
        guard sgd.step(&net, gradients: executor.parameterGradients, learningRate: Float(lr))
        else {
          net.buffers = savedBuffers
          throw NeuralNetError.divergence(epoch: epoch + 1, batch: b + 1, loss: ce.loss)
        }
        afterStep?(&net)
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
            elapsed: elapsed, eta: elapsed / Double(done) * Double(max(0, totalSteps - done))))
        if case .stop = control {
          interrupted = true
          break
        }
      }
    }
    let summary = EpochSummary(
      epoch: epoch + 1, loss: seen > 0 ? lossSum / Double(seen) : .nan,
      accuracy: seen > 0 ? Double(correct) / Double(seen) : 0, learningRate: lr,
      seconds: MonotonicClock.seconds() - epochStart, images: seen)
    return (summary, interrupted)
  }
}
