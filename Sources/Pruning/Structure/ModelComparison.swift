import Datasets
import NeuralNet
import TensorCore

#if canImport(Glibc)
  import Glibc
#endif

/// One model's figures in a before/after comparison. Counts are *estimated* from the graph
/// (MACs of conv + linear, trainable parameters); accuracy, loss and images per second are
/// *measured*.
public struct ModelFigures: Hashable, Sendable, Codable {
  /// Model name.
  public var name: String
  /// Measured on the evaluation split.
  public var accuracy: Double
  public var loss: Double
  /// Images evaluated.
  public var images: Int
  /// Estimated: multiply–accumulates per image.
  public internal(set) var macs: Int
  /// Estimated: trainable parameters.
  public var parameters: Int
  /// Measured: inference images per second (batch ``ModelComparison/batchSize``, median of
  /// timed passes).
  public internal(set) var imagesPerSecond: Double
}

/// Accuracy, FLOPs, parameters and measured speed of two models side by side.
public struct ModelComparison: Hashable, Sendable, Codable {
  /// The batch size used for the speed measurement.
  public static let batchSize = 128

  /// The first model (usually before pruning) and the second (after).
  public internal(set) var before: ModelFigures
  public var after: ModelFigures
  /// When compared with a latency model: its predicted seconds per image of the first and the
  /// second model (nil in comparisons without one, and in those stored before it existed).
  public var predictedSecondsPerImage: [Double]?

  /// Predicted against measured seconds per image, `predicted / measured − 1`, of the first and
  /// second model; nil without a prediction.
  public var predictionErrors: [Double]? {
    guard let p = predictedSecondsPerImage, p.count == 2 else { return nil }
    let measured = [before, after].map { 1 / max($0.imagesPerSecond, 1e-12) }
    return zip(p, measured).map { $0 / $1 - 1 }
  }

  /// Fractions removed (1 − after/before) of MACs and parameters.
  public var flopsReduction: Double { 1 - Double(after.macs) / Double(max(before.macs, 1)) }
  public var parameterReduction: Double {
    1 - Double(after.parameters) / Double(max(before.parameters, 1))
  }
  /// Measured speed-up of inference.
  public var speedup: Double { after.imagesPerSecond / max(before.imagesPerSecond, 1e-9) }

  /// Evaluates and times both models on `split` (the first `limit` images).
  public static func compare(
    _ a: Network, _ b: Network, on split: DataSplit, limit: Int? = nil, context: ComputeContext,
    timedPasses: Int = 15, latency: LatencyModel? = nil
  ) throws -> ModelComparison {
    let trainer = Trainer(context: context)
    let speeds = try throughput([a, b], context, timedPasses)
    func figures(_ n: Network, _ speed: Double) throws -> ModelFigures {
      let m = try trainer.evaluate(n, on: split, limit: limit)
      return ModelFigures(
        name: n.name, accuracy: m.accuracy, loss: m.loss, images: m.count, macs: n.macs,
        parameters: n.parameterCount, imagesPerSecond: speed)
    }
    var result = ModelComparison(
      before: try figures(a, speeds[0]), after: try figures(b, speeds[1]))
    if let latency {
      // The measurement runs batches of `batchSize`; the model predicts batches of its own.
      result.predictedSecondsPerImage = try [a, b].map {
        try latency.predict(network: $0) / Double(latency.batch)
      }
    }
    return result
  }

  /// Median inference images per second of each network over `passes` timed batches of
  /// random images, after ``warmupPasses`` untimed ones each. The networks take turns batch by
  /// batch (A B A B …), so a drift in the machine's speed — another process, the clock — falls
  /// on both alike and the ratio of the two holds; measured one after the other with one
  /// warm-up pass and 5 timed ones, the same network came out up to 20% apart within a session.
  static func throughput(_ networks: [Network], _ context: ComputeContext, _ passes: Int)
    throws -> [Double]
  {
    try context.perform {
      var nets = networks
      var inputs: [[Float]] = []
      var executors: [Executor] = []
      for n in networks {
        var rng = SeededRNG(seed: 1)
        inputs.append(
          (0..<batchSize * n.inputShape.reduce(1, *)).map { _ in rng.nextNormal() })
        executors.append(
          try Executor(network: n, batch: batchSize, training: false, context: context))
      }
      var times = Array(repeating: [Double](), count: nets.count)
      for pass in 0..<(warmupPasses + max(passes, 1)) {
        for k in nets.indices {
          let t0 = MonotonicClock.seconds()
          _ = try inputs[k].withUnsafeBufferPointer {
            try executors[k].forward(&nets[k], images: $0)
          }
          if pass >= warmupPasses { times[k].append(MonotonicClock.seconds() - t0) }
        }
      }
      return times.map { t in Double(batchSize) / t.sorted()[t.count / 2] }
    }
  }

  /// Untimed passes per network before the timed ones (primitive creation, first touch of the
  /// activations and scratchpads).
  static let warmupPasses = 3

}
