import Datasets
import NeuralNet
import TensorCore

/// Gradual channel pruning while training (Aketi et al. 2020; ALGORITHMS.md §5): train, and
/// after every `every`-th epoch up to `until` score the channels with the criterion (FRS by
/// default in the shell), rank them globally across all eligible groups (the paper's global
/// argmin; group scores as ``Planner/groupScores(_:)`` makes them) and remove the lowest
/// share of the target on the ``GradualSchedule`` — **physically**: surgery between epochs,
/// the optimizer's momentum cut like the weights so kept channels keep theirs, so later epochs
/// run on the smaller network. The learning-rate schedule runs over all epochs as one run.
///
/// The engine never prints: everything goes to the `progress` callback, which may stop the run
/// at a batch boundary (the report then says `interrupted`).
///
/// ```swift
/// let pruner = GradualPruner(criterion: FeatureRelevanceCriterion(), schedule: s, training: o)
/// let report = try pruner.run(net, on: d.train, evaluation: d.test, context: c, rng: rng)
/// ```
public struct GradualPruner: Sendable {
  /// Scores the channels at each step.
  public var criterion: any Criterion
  /// When and how much.
  public var schedule: GradualSchedule
  /// The training recipe; its `epochs` is replaced by the schedule's.
  public var training: TrainingOptions
  /// Channels every group keeps at least.
  public var minimumChannels: Int
  /// Whether residual-stream groups (joined by additions) may lose channels.
  public var includeResidualStreams: Bool
  /// Batches and images per batch the criterion reads at each step.
  public var scoringBatches: Int
  public var scoringBatchSize: Int
  /// Test images evaluated after each epoch (nil: the whole evaluation split).
  public var evaluationLimit: Int?
  /// Soft targets from a teacher while training, or nil.
  public var distillation: Distillation?
  /// Rounding of every group's kept count to a multiple at each step (``ChannelAlignment``;
  /// the measure kept is the step's channel share or FLOPs); nil: none.
  public var alignment: Int? = nil

  /// A pruner; scoring reads 4 batches of 64 training images per step by default.
  public init(
    criterion: any Criterion, schedule: GradualSchedule, training: TrainingOptions,
    minimumChannels: Int = 1, includeResidualStreams: Bool = true, scoringBatches: Int = 4,
    scoringBatchSize: Int = 64, evaluationLimit: Int? = nil, distillation: Distillation? = nil
  ) {
    self.distillation = distillation
    self.criterion = criterion
    self.schedule = schedule
    self.training = training
    self.minimumChannels = minimumChannels
    self.includeResidualStreams = includeResidualStreams
    self.scoringBatches = scoringBatches
    self.scoringBatchSize = scoringBatchSize
    self.evaluationLimit = evaluationLimit
  }

  /// The eligible groups of `network`.
  func eligible(_ groups: ChannelGroups) -> [ChannelGroup] {
    groups.groups.filter { includeResidualStreams || !$0.isResidualStream }
  }

  /// Checks, before any training, that the target can be reached with the floors: throws
  /// ``PruningError/invalidOption(_:)`` saying the largest reachable ratio otherwise. Returns
  /// the channels (channel target) to remove in all.
  public func plannedRemoval(for network: Network) throws -> Int {
    guard minimumChannels >= 1 else {
      throw PruningError.invalidOption("the floor must be at least 1 channel per group")
    }
    let groups = try ChannelGroups(network: network)
    let eligible = self.eligible(groups)
    let total = eligible.reduce(0) { $0 + $1.channels }
    guard total > 0 else {
      throw PruningError.invalidOption("\(network.name) has no channel group that may be pruned")
    }
    var floors: [String: Int] = [:]
    for g in eligible { floors[g.id] = max(0, g.channels - minimumChannels) }
    let capacity = floors.values.reduce(0, +)
    switch schedule.target {
    case .channels:
      let wanted = Int((schedule.ratio * Double(total)).rounded())
      guard wanted <= capacity else {
        throw PruningError.invalidOption(
          "ratio \(percent(schedule.ratio)) would remove \(wanted) of \(total) channels, but "
            + "only \(capacity) can go while every group keeps \(minimumChannels) (at most "
            + "\(percent(Double(capacity) / Double(total)))); lower the ratio or the floor")
      }
      return wanted
    case .flops:
      let arithmetic = try ChannelArithmetic(network: network, groups: groups)
      let base = arithmetic.macs()
      let best = 1 - Double(arithmetic.macs(removed: floors)) / Double(max(base, 1))
      guard schedule.ratio <= best + 1e-12 else {
        throw PruningError.invalidOption(
          "ratio \(percent(schedule.ratio)) of the FLOPs cannot be reached: with every group at "
            + "\(minimumChannels) channel(s) the FLOPs fall by \(percent(best)) at most; lower "
            + "the ratio or the floor")
      }
      return 0
    }
  }

  private func percent(_ x: Double) -> String {
    let v = (x * 1000).rounded() / 10
    return v == v.rounded() ? "\(Int(v))%" : "\(v)%"
  }

  /// Trains `network` on `split` with pruning steps on the schedule; `evaluation` (the test
  /// split) is measured after every epoch when given. Every random draw comes from `rng`:
  /// batches as ``Trainer`` draws them from `rng.derived("train")`, the criterion's images at
  /// step `k` from `rng.derived("gradual.score.k")`.
  public func run(
    _ network: Network, on split: DataSplit, evaluation: DataSplit? = nil,
    context: ComputeContext, rng: SeededRNG,
    progress: (GradualEvent) -> TrainingControl = { _ in .proceed }
  ) throws -> GradualReport {
    guard split.imageShape == network.inputShape else {
      throw PruningError.invalidOption(
        "the images are \(split.imageShape); \(network.name) takes \(network.inputShape)")
    }
    if let test = evaluation, test.imageShape != network.inputShape || test.count == 0 {
      throw PruningError.invalidOption("the evaluation split does not fit \(network.name)")
    }
    let totalRemoval = try plannedRemoval(for: network)
    var options = training
    options.epochs = schedule.epochs
    var run = try TrainingRun(
      network: network, split: split, options: options, rng: rng.derived("train"),
      context: context, distillation: distillation)
    let startGroups = try ChannelGroups(network: network)
    let eligibleIDs = eligible(startGroups).map(\.id)
    let channelsBefore = eligible(startGroups).reduce(0) { $0 + $1.channels }
    let macsBefore = network.macs
    var report = GradualReport(
      network: network, schedule: schedule, criterion: criterion.name,
      channelsBefore: channelsBefore, macsBefore: macsBefore,
      paramsBefore: network.parameterCount, epochs: [], steps: [], interrupted: false)
    // Group ids survive surgery (a group is named after its first producer), so the eligible
    // set is fixed by the starting network.
    let eligibleSet = Set(eligibleIDs)
    var channelsLeft = channelsBefore
    let trainer = Trainer(context: context)
    for e in 0..<schedule.epochs {
      let macsNow = run.network.macs
      let left = channelsLeft
      let (summary, interrupted) = try run.epoch(e) { p in
        progress(.training(p, channels: left, macs: macsNow))
      }
      if interrupted {
        report.interrupted = true
        report.network = run.network
        return report
      }
      var removedNow = 0
      if let k = schedule.step(after: e + 1) {
        let step = try prune(
          &run, step: k, epoch: e + 1, eligible: eligibleSet, totalRemoval: totalRemoval,
          macsBefore: macsBefore, split: split, rng: rng)
        removedNow = step.removed
        channelsLeft -= step.removed
        report.steps.append(step)
        _ = progress(.pruned(step))
      }
      var accuracy: Double?
      if let test = evaluation {
        accuracy =
          try trainer.evaluate(
            run.network, on: test, limit: evaluationLimit.map { min($0, test.count) }
          ).accuracy
      }
      let record = GradualEpoch(
        epoch: e + 1, loss: summary.loss, trainAccuracy: summary.accuracy,
        testAccuracy: accuracy, learningRate: summary.learningRate, seconds: summary.seconds,
        imagesPerSecond: Double(summary.images) / max(summary.seconds, 1e-9),
        channels: channelsLeft, macs: run.network.macs, params: run.network.parameterCount,
        removed: removedNow)
      report.epochs.append(record)
      _ = progress(.epoch(record))
    }
    report.network = run.network
    return report
  }

  /// One pruning step on the run's current network.
  private func prune(
    _ run: inout TrainingRun, step k: Int, epoch: Int, eligible: Set<String>, totalRemoval: Int,
    macsBefore: Int, split: DataSplit, rng: SeededRNG
  ) throws -> GradualStep {
    let network = run.network
    let planner = try Planner(network: network)
    let scores = try criterion.score(
      ScoringInput(
        network: network, data: split, batches: scoringBatches, batchSize: scoringBatchSize,
        context: run.context, rng: rng.derived("gradual.score.\(k)")))
    let byGroup = try planner.groupScores(scores)
    let groups = planner.groups.groups.filter { eligible.contains($0.id) }
    let order = GradualPruner.removalOrder(
      groups: groups, scores: byGroup, minimumChannels: minimumChannels)
    let wanted: Int
    switch schedule.target {
    case .channels:
      wanted = min(schedule.channels(atStep: k, total: totalRemoval), order.count)
    case .flops:
      let arithmetic = try ChannelArithmetic(network: network, groups: planner.groups)
      let goal = Double(macsBefore) * (1 - schedule.cumulativeRatio(afterStep: k))
      wanted = GradualPruner.shortestPrefix(order, arithmetic: arithmetic, macsAtMost: goal)
    }
    var removed: [String: [Int]] = [:]
    for entry in order.prefix(wanted) { removed[entry.group, default: []].append(entry.index) }
    if let multiple = alignment {
      let measure: ([String: Int]) -> Double
      switch schedule.target {
      case .channels: measure = ChannelAlignment.channelFraction(groups)
      case .flops:
        let arithmetic = try ChannelArithmetic(network: network, groups: planner.groups)
        let base = Double(max(arithmetic.macs(), 1))
        measure = { 1 - Double(arithmetic.macs(removed: $0)) / base }
      }
      let aligned = try ChannelAlignment.align(
        removed: removed.mapValues(\.count), groups: groups, multiple: multiple,
        minimumChannels: minimumChannels, measure: measure)
      // Each group's channels in removal order (its own lowest first); an aligned count never
      // exceeds the group's capacity, which is how many entries it has in `order`.
      var perGroup: [String: [Int]] = [:]
      for entry in order { perGroup[entry.group, default: []].append(entry.index) }
      removed = [:]
      for (g, q) in aligned.removed where q > 0 {
        removed[g] = Array((perGroup[g] ?? []).prefix(q))
      }
    }
    let count = removed.values.reduce(0) { $0 + $1.count }
    let plan = PruningPlan(
      model: network.name, fingerprint: network.fingerprint, criterion: criterion.name,
      ratio: schedule.ratio, strategy: .global(normalization: .none), selection: .topK,
      groups: planner.groups.groups.map { g in
        GroupPlan(group: g.id, channels: g.channels, removed: (removed[g.id] ?? []).sorted())
      })
    let pruned = try Surgery.prune(network, with: plan)
    let optimizer = try run.optimizer.pruned(for: network, with: plan)
    try run.replace(network: pruned, optimizer: optimizer)
    return GradualStep(
      step: k, epoch: epoch, removed: count,
      removedByGroup: removed.mapValues { $0.sorted() }, macs: pruned.macs,
      params: pruned.parameterCount)
  }

  /// The channels in the order they go: all eligible `(group, index)` by score ascending (ties:
  /// group id, then index), skipping a channel when its group is down to the floor.
  static func removalOrder(
    groups: [ChannelGroup], scores: [String: [Double]], minimumChannels: Int
  ) -> [(group: String, index: Int)] {
    var all: [(score: Double, group: String, index: Int)] = []
    var capacity: [String: Int] = [:]
    for g in groups {
      // Planner.groupScores has an entry of the group's width for every group.
      for (j, v) in (scores[g.id] ?? []).enumerated() { all.append((v, g.id, j)) }
      capacity[g.id] = max(0, g.channels - minimumChannels)
    }
    all.sort { a, b in
      if a.score.isNaN != b.score.isNaN { return a.score.isNaN }  // NaN scores go first
      return a.score < b.score || (a.score == b.score && (a.group, a.index) < (b.group, b.index))
    }
    var order: [(group: String, index: Int)] = []
    for entry in all where capacity[entry.group, default: 0] > 0 {
      capacity[entry.group, default: 0] -= 1
      order.append((entry.group, entry.index))
    }
    return order
  }

  /// The fewest leading entries of `order` whose removal brings the MACs to `macsAtMost` (all
  /// of them when that is not reachable), by bisection on the group arithmetic.
  static func shortestPrefix(
    _ order: [(group: String, index: Int)], arithmetic: ChannelArithmetic, macsAtMost: Double
  ) -> Int {
    func macs(_ n: Int) -> Int {
      var removed: [String: Int] = [:]
      for entry in order.prefix(n) { removed[entry.group, default: 0] += 1 }
      return arithmetic.macs(removed: removed)
    }
    if Double(macs(0)) <= macsAtMost { return 0 }
    var lo = 0
    var hi = order.count
    if Double(macs(hi)) > macsAtMost { return hi }
    while hi - lo > 1 {
      let mid = (lo + hi) / 2
      if Double(macs(mid)) <= macsAtMost { hi = mid } else { lo = mid }
    }
    return hi
  }
}
