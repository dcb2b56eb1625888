import NeuralNet
import TensorCore

/// Times training steps (forward + cross-entropy + backward + SGD) and inference steps
/// (forward) of a network on one synthetic batch: `shears bench` and the shell's `bench`
/// command both measure through it.
///
/// The training executor is released before the inference one is built, so the peak memory of
/// a run is the larger of the two, as in a real session.
///
/// ```swift
/// let r = try StepBenchmark(steps: 20, warmup: 3).run(net, on: batch, context: ctx)
/// print(Double(batch.batch) / r.trainSeconds, "images/s")
/// ```
public struct StepBenchmark: Sendable {
  /// Timed steps of each kind.
  public internal(set) var steps: Int
  /// Untimed steps of each kind before them.
  public internal(set) var warmup: Int
  /// SGD learning rate of the training steps.
  public var learningRate: Float
  /// Whether the executors profile their timed steps (``Result/profile``,
  /// ``Result/inferenceProfile``).
  public internal(set) var profile: Bool

  /// A benchmark of `steps` timed steps after `warmup` untimed ones.
  public init(steps: Int, warmup: Int, learningRate: Float = 0.01, profile: Bool = false) {
    self.steps = steps
    self.warmup = warmup
    self.learningRate = learningRate
    self.profile = profile
  }

  /// What a run measured.
  public struct Result: Sendable {
    /// The network after the training steps.
    public var network: Network
    /// Median seconds of a training step.
    public internal(set) var trainSeconds: Double
    /// Median seconds of an inference step.
    public internal(set) var inferenceSeconds: Double
    /// With ``StepBenchmark/profile``: seconds per node summed over the timed training steps.
    public internal(set) var profile: [String: Double]?
    /// With ``StepBenchmark/profile``: seconds per node summed over the timed inference steps.
    public internal(set) var inferenceProfile: [String: Double]?
  }

  /// Trains then infers `network` on `batch`; `beforeEachStep` runs before every step (warm-up
  /// too), outside the timing — the shell checks for an interruption there.
  public func run(
    _ network: Network, on batch: SyntheticBatch, context: ComputeContext,
    beforeEachStep: () throws -> Void = {}
  ) throws -> Result {
    var net = network
    var sgd = SGD()
    let (train, profile) = try context.perform { () throws -> (Double, [String: Double]?) in
      let executor = try Executor(
        network: net, batch: batch.batch, training: true, context: context)
      let startProfiling = { if self.profile { executor.enableProfiling() } }
      let step = {
        let logits = try batch.images.withUnsafeBufferPointer {
          try executor.forward(&net, images: $0)
        }
        let loss = try SoftmaxCrossEntropy.evaluate(logits: logits, labels: batch.labels)
        try executor.backward(net, lossGradient: loss.gradient)
        sgd.step(&net, gradients: executor.parameterGradients, learningRate: learningRate)
      }
      let times = try Benchmark.times(
        warmup: warmup, timed: steps, beforeEach: beforeEachStep, afterWarmup: startProfiling,
        step)
      return (Benchmark.median(times), executor.profile)
    }
    let (infer, inferenceProfile) = try context.perform {
      () throws -> (Double, [String: Double]?) in
      let executor = try Executor(
        network: net, batch: batch.batch, training: false, context: context)
      let startProfiling = { if self.profile { executor.enableProfiling() } }
      let step = {
        _ = try batch.images.withUnsafeBufferPointer { try executor.forward(&net, images: $0) }
      }
      let times = try Benchmark.times(
        warmup: warmup, timed: steps, beforeEach: beforeEachStep, afterWarmup: startProfiling,
        step)
      return (Benchmark.median(times), executor.profile)
    }
    return Result(
      network: net, trainSeconds: train, inferenceSeconds: infer, profile: profile,
      inferenceProfile: inferenceProfile)
  }
}
