import NeuralNet
import Pruning
import TensorCore

/// Does a pruned network run as much faster as its FLOPs say? The `pruned` case of
/// `shears bench`: resnet56 and vgg16 (3×32×32) and vgg-small (1×28×28), each pruned by l1 to
/// 50% of its FLOPs three ways —
///
/// - `plain`: global allocation (rank-normalised l1 scores: the bench's weights are untrained, and
///   l2-normalised scores of random filters would cut whole wide layers to one channel) with
///   `target=flops`, ratio 50%;
/// - `aligned`: the same with `align=auto` (kept counts rounded to the engine's block);
/// - `alignedLatency`: the same with `align=latency` (the block, neighbouring multiples chosen
///   by the latency model: ``ChannelAlignment/lowerLatency(removed:unaligned:groups:multiple:minimumChannels:measure:cost:)``);
/// - `latency`: global allocation with `target=latency` at the predicted latency reduction the
///   plain plan reaches (the latency model profiled on the unpruned network first) —
///
/// and for each the measured inference speed-up against the unpruned network next to the FLOPs
/// speed-up, and the latency model's prediction of the pruned network's time.
///
/// ```swift
/// let rows = try PrunedBenchmark.run("resnet56", batch: 128, steps: 20, context: ctx)
/// ```
public enum PrunedBenchmark {
  /// How a case's plan is made.
  public enum Variant: String, CaseIterable, Sendable, Codable {
    case plain, aligned
    case alignedLatency = "aligned-latency"
    case latency
  }

  /// The networks of the case: name, input channels, input size.
  public static let networks: [(name: String, channels: Int, size: Int)] = [
    ("resnet56", 3, 32), ("vgg16", 3, 32), ("vgg-small", 1, 28),
  ]

  /// The FLOPs reduction every plan reaches.
  public static let ratio = 0.5

  /// The network `name` of ``networks`` with the bench's seeded weights.
  public static func network(_ name: String) throws -> Network {
    guard let spec = networks.first(where: { $0.name == name }) else {
      throw PruningError.invalidOption(
        "no pruned case for '\(name)'; choose from "
          + networks.map(\.name).joined(separator: ", "))
    }
    var rng = SeededRNG(seed: 2026)
    return try ModelZoo.make(
      name, options: ModelOptions(inputChannels: spec.channels, inputSize: spec.size), rng: &rng)
  }

  /// The plan of `variant` for `network` (`latency` needs the network's latency model).
  public static func plan(
    _ network: Network, variant: Variant, latency: LatencyModel? = nil, context: ComputeContext
  ) throws -> PruningPlan {
    let scores = try CriterionRegistry.standard.criterion(named: "l1").score(
      ScoringInput(network: network, data: nil, context: context, rng: SeededRNG(seed: 0)))
    let planner = try Planner(network: network)
    var options = PlanOptions(allocation: .global(normalization: .rank, target: .flops))
    switch variant {
    case .plain:
      return try planner.plan(scores: scores, ratio: ratio, options: options)
    case .aligned:
      options.alignment = .automatic
      return try planner.plan(scores: scores, ratio: ratio, options: options)
    case .alignedLatency:
      options.alignment = .latency
      return try planner.plan(scores: scores, ratio: ratio, options: options, latency: latency)
    case .latency:
      guard let latency else {
        throw PruningError.invalidOption("the latency variant needs a latency model")
      }
      let plain = try planner.plan(scores: scores, ratio: ratio, options: options)
      let goal = latency.reduction(
        removed: Dictionary(uniqueKeysWithValues: plain.groups.map { ($0.group, $0.removed.count) })
      )
      options.allocation = .global(normalization: .rank, target: .latency)
      return try planner.plan(
        scores: scores, ratio: min(max(goal, 0), 0.99), options: options, latency: latency)
    }
  }

  /// One measured row.
  public struct Row: Sendable, Codable {
    public var network: String
    public var variant: Variant
    public var macsBefore: Int
    public var macsAfter: Int
    /// `macsBefore / macsAfter`.
    public var flopsSpeedup: Double
    /// Median seconds of an inference batch, unpruned and pruned.
    public var baseSeconds: Double
    public var prunedSeconds: Double
    /// `baseSeconds / prunedSeconds`.
    public var measuredSpeedup: Double
    /// The latency model's prediction of the pruned network's time, and its relative error
    /// against the measurement.
    public var predictedSeconds: Double
    public var predictionError: Double
    /// The model's predicted speed-up (its unpruned time over ``predictedSeconds``) and its
    /// relative error against ``measuredSpeedup``. Both speed-ups are ratios of times taken
    /// together, so this error is the model's alone: the absolute error above also carries any
    /// drift of the machine's speed between profiling and timing (seen here: +30% in one run,
    /// within ±8% in the next, on the same binary).
    public var predictedSpeedup: Double
    public var speedupPredictionError: Double
    /// Groups whose kept count the alignment rounded (aligned variant).
    public var alignedGroups: Int
    /// Output channels of every conv, in graph order (what the PyTorch peer builds).
    public var convChannels: [Int]
  }

  /// Interleaved timing rounds of the unpruned and pruned networks (each network's smallest
  /// median is kept).
  public static let timingRounds = 3

  /// Every variant of network `name`: profiles it (``LatencyProfiler``, `cache` when given),
  /// plans and prunes, then times inference of the unpruned network and every pruned one in
  /// ``timingRounds`` interleaved rounds (`steps` timed batches after 3 warm-up ones each; the
  /// smallest median kept: a few seconds of a slower machine touch one round, not one network).
  public static func run(
    _ name: String, batch: Int, steps: Int, context: ComputeContext, cache: LatencyCache? = nil,
    points: Int = 4
  ) throws -> (rows: [Row], networks: [Variant: Network], latency: LatencyModel) {
    let network = try network(name)
    let latency = try LatencyProfiler(batch: batch, points: points).profile(
      network, context: context, cache: cache)
    var rng = SeededRNG(seed: 7)
    let data = SyntheticBatch(network: network, batch: batch, rng: &rng)
    var rows: [Row] = []
    var networks: [Variant: Network] = [:]
    var plans: [Variant: PruningPlan] = [:]
    for variant in Variant.allCases {
      let plan = try plan(network, variant: variant, latency: latency, context: context)
      plans[variant] = plan
      networks[variant] = try Surgery.prune(network, with: plan)
    }
    let timed = [network] + Variant.allCases.compactMap { networks[$0] }
    var best = [Double](repeating: .infinity, count: timed.count)
    for _ in 0..<timingRounds {
      for (k, net) in timed.enumerated() {
        best[k] = min(
          best[k], try inferenceSeconds(net, data: data, steps: steps, context: context))
      }
    }
    let base = best[0]
    for (k, variant) in Variant.allCases.enumerated() {
      guard let pruned = networks[variant], let plan = plans[variant] else { continue }
      let seconds = best[k + 1]
      let predicted = try latency.predict(network: pruned)
      let predictedSpeedup = latency.predict(removed: [:]) / max(predicted, 1e-12)
      rows.append(
        Row(
          network: name, variant: variant, macsBefore: network.macs, macsAfter: pruned.macs,
          flopsSpeedup: Double(network.macs) / Double(max(pruned.macs, 1)), baseSeconds: base,
          prunedSeconds: seconds, measuredSpeedup: base / seconds, predictedSeconds: predicted,
          predictionError: predicted / seconds - 1, predictedSpeedup: predictedSpeedup,
          speedupPredictionError: predictedSpeedup / (base / seconds) - 1,
          alignedGroups: plan.alignment?.changes.count ?? 0,
          convChannels: pruned.nodes.compactMap {
            if case .conv(let c) = $0.operation { return c.outChannels }
            return nil
          }))
    }
    return (rows, networks, latency)
  }

  /// One conv of a network: the latency model's prediction of its time at the network's channel
  /// counts, and its measured time inside the network's inference step (the fused
  /// conv–BN–ReLU chain it anchors, mean seconds per profiled step).
  public struct LayerTime: Sendable {
    public var node: String
    public var inChannels: Int
    public var outChannels: Int
    public var predicted: Double
    public var measured: Double
  }

  /// Every conv of `network` (the model's network or one pruned from it): predicted against
  /// measured in the network (`steps` profiled batches after 3 warm-up ones). Where the sum of
  /// the two columns differs, the network runs its convolutions otherwise than the isolated grid
  /// measured them (caches, neighbouring layers); the rest of the step is not in either.
  public static func layerTimes(
    _ network: Network, latency: LatencyModel, data: SyntheticBatch, steps: Int,
    context: ComputeContext
  ) throws -> [LayerTime] {
    let profile: [String: Double] = try context.perform {
      var net = network
      let executor = try Executor(
        network: net, batch: data.batch, training: false, context: context)
      for _ in 0..<3 {
        _ = try data.images.withUnsafeBufferPointer { try executor.forward(&net, images: $0) }
      }
      executor.enableProfiling()
      for _ in 0..<max(1, steps) {
        _ = try data.images.withUnsafeBufferPointer { try executor.forward(&net, images: $0) }
      }
      return executor.profile ?? [:]
    }
    // Profile keys are `fwd <conv>` or `fwd <conv>+bn+relu…` for a fused chain.
    var byConv: [String: Double] = [:]
    for (key, seconds) in profile where key.hasPrefix("fwd ") {
      let name = key.dropFirst(4).split(separator: "+", maxSplits: 1)[0]
      byConv[String(name), default: 0] += seconds / Double(max(1, steps))
    }
    return try latency.convs.map { c in
      guard case .conv(let spec)? = network.node(named: c.node)?.operation,
        let layer = latency.layers[c.shape]
      else {
        throw PruningError.invalidOption("\(network.name) has no conv '\(c.node)'")
      }
      return LayerTime(
        node: c.node, inChannels: spec.inChannels, outChannels: spec.outChannels,
        predicted: layer.predict(
          inputs: spec.inChannels, outputs: spec.outChannels, block: latency.block),
        measured: byConv[c.node] ?? 0)
    }
  }

  /// Median seconds of an inference batch of `network`.
  public static func inferenceSeconds(
    _ network: Network, data: SyntheticBatch, steps: Int, context: ComputeContext
  ) throws -> Double {
    try context.perform {
      var net = network
      let executor = try Executor(
        network: net, batch: data.batch, training: false, context: context)
      let times = try Benchmark.times(warmup: 3, timed: steps) {
        _ = try data.images.withUnsafeBufferPointer { try executor.forward(&net, images: $0) }
      }
      return Benchmark.median(times)
    }
  }
}
