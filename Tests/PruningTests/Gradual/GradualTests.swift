import Datasets
import NeuralNet
import TensorCore
import Testing

@testable import Pruning

/// Gradual pruning while training (ALGORITHMS.md §5): the schedule, the equivalence with
/// one-shot pruning, the carried-over momentum, and bad input.
@Suite struct GradualTests {
  /// 96 random 1×8×8 images of 4 classes whose mean brightness depends on the class, so a
  /// network learns something.
  static func split(seed: UInt64 = 5, count: Int = 96) -> DataSplit {
    var rng = SeededRNG(seed: seed)
    let labels = (0..<count).map { Int32($0 % 4) }
    var images: [Float] = []
    for label in labels {
      images += (0..<64).map { _ in rng.nextNormal() + Float(label) * 0.5 }
    }
    return DataSplit(images: images, labels: labels, channels: 1, height: 8, width: 8)
  }

  /// vgg-small at a quarter width: convs of 8, 8, 16, 16, 32, 32 channels (112 in all).
  static func network(seed: UInt64 = 9) throws -> Network {
    var rng = SeededRNG(seed: seed)
    return try ModelZoo.make(
      "vgg-small",
      options: ModelOptions(inputChannels: 1, inputSize: 8, classes: 4, widthMultiplier: 0.25),
      rng: &rng)
  }

  static func options(epochs: Int, momentum: Double = 0.9) -> TrainingOptions {
    var o = TrainingOptions()
    o.epochs = epochs
    o.batchSize = 16
    o.learningRate = 0.05
    o.momentum = momentum
    o.maxBatchesPerEpoch = 3
    return o
  }

  static func maxDifference(_ a: Network, _ b: Network) -> Float {
    var worst: Float = 0
    for (path, x) in a.parameters {
      guard let y = b.parameters[path], x.shape == y.shape else { return .infinity }
      for (u, v) in zip(x.scalars, y.scalars) { worst = max(worst, abs(u - v)) }
    }
    return worst
  }

  // MARK: schedule

  @Test func scheduleStepsByHand() throws {
    let s = try GradualSchedule(epochs: 10, every: 3, until: 9, ratio: 0.5)
    #expect(s.pruningEpochs == [3, 6, 9])
    #expect(s.steps == 3)
    #expect((1...10).map { s.step(after: $0) } == [nil, nil, 1, nil, nil, 2, nil, nil, 3, nil])
    // 56 channels over 3 steps: ⌊56/3⌋ = 18, ⌊112/3⌋ − 18 = 19, 56 − 37 = 19.
    #expect((1...3).map { s.channels(atStep: $0, total: 56) } == [18, 19, 19])
    #expect(abs(s.cumulativeRatio(afterStep: 2) - 1.0 / 3.0) < 1e-12)
    // until not a multiple of every: the last step is at 8.
    let t = try GradualSchedule(epochs: 10, every: 4, until: 9, ratio: 0.3)
    #expect(t.pruningEpochs == [4, 8])
  }

  @Test func badSchedulesSayWhatToChange() {
    func message(_ make: () throws -> GradualSchedule) -> String {
      do {
        _ = try make()
        return ""
      } catch {
        return "\(error)"
      }
    }
    #expect(
      message { try GradualSchedule(epochs: 4, every: 1, until: 5, ratio: 0.5) }.contains(
        "until=5 must be between 1 and epochs=4"))
    #expect(
      message { try GradualSchedule(epochs: 4, every: 0, until: 3, ratio: 0.5) }.contains(
        "every must be at least 1"))
    #expect(
      message { try GradualSchedule(epochs: 4, every: 3, until: 2, ratio: 0.5) }.contains(
        "no pruning step would happen"))
    #expect(
      message { try GradualSchedule(epochs: 4, every: 1, until: 2, ratio: 1) }.contains(
        "ratio must be in [0, 1)"))
  }

  @Test func aRatioThatWouldEmptyGroupsIsRefusedBeforeTraining() throws {
    let net = try Self.network()
    // 112 channels in 6 groups; a floor of 8 leaves 64 removable (57.1%).
    let s = try GradualSchedule(epochs: 2, every: 1, until: 1, ratio: 0.6)
    let pruner = GradualPruner(
      criterion: L1Criterion(), schedule: s, training: Self.options(epochs: 2),
      minimumChannels: 8)
    #expect(throws: PruningError.self) { try pruner.plannedRemoval(for: net) }
    do {
      _ = try pruner.plannedRemoval(for: net)
    } catch {
      #expect("\(error)".contains("would remove 67 of 112 channels, but only 64 can go"))
    }
    var flops = pruner
    flops.schedule = try GradualSchedule(
      epochs: 2, every: 1, until: 1, ratio: 0.99, target: .flops)
    #expect(throws: PruningError.self) { try flops.plannedRemoval(for: net) }
  }

  // MARK: arithmetic

  @Test func channelArithmeticMatchesSurgery() throws {
    var rng = SeededRNG(seed: 2)
    for name in ["vgg-small", "resnet20"] {
      var initRNG = SeededRNG(seed: 1)
      let net = try ModelZoo.make(
        name,
        options: ModelOptions(inputChannels: 3, inputSize: 16, classes: 10, widthMultiplier: 0.5),
        rng: &initRNG)
      let groups = try ChannelGroups(network: net)
      let arithmetic = try ChannelArithmetic(network: net, groups: groups)
      #expect(arithmetic.macs() == net.macs)
      #expect(arithmetic.parameters() == net.parameterCount)
      for _ in 0..<3 {
        var removed: [String: Int] = [:]
        let plans = groups.groups.map { g -> GroupPlan in
          let q = Int(rng.nextFloat() * Float(g.channels - 1))
          removed[g.id] = q
          return GroupPlan(group: g.id, channels: g.channels, removed: Array(0..<q))
        }
        let plan = PruningPlan(
          model: net.name, fingerprint: net.fingerprint, criterion: "", ratio: 0,
          strategy: .uniform, selection: .topK, groups: plans)
        let pruned = try Surgery.prune(net, with: plan)
        #expect(arithmetic.macs(removed: removed) == pruned.macs, "\(name)")
        #expect(arithmetic.parameters(removed: removed) == pruned.parameterCount, "\(name)")
      }
    }
  }

  // MARK: training

  @Test func trainingRunEqualsTrainerBitForBit() throws {
    let data = Self.split()
    let context = try ComputeContext(threads: 1)
    let options = Self.options(epochs: 2)
    let rng = SeededRNG(seed: 11)
    var a = try Self.network()
    _ = try Trainer(context: context).train(&a, on: data, options: options, rng: rng)
    var run = try TrainingRun(
      network: try Self.network(), split: data, options: options, rng: rng, context: context)
    for e in 0..<2 { _ = try run.epoch(e) }
    #expect(Self.maxDifference(a, run.network) == 0)
    #expect(a.buffers.mapValues(\.scalars) == run.network.buffers.mapValues(\.scalars))
  }

  @Test func channelsRemovedPerStepFollowTheSchedule() throws {
    let data = Self.split()
    let context = try ComputeContext(threads: 1)
    let s = try GradualSchedule(epochs: 4, every: 1, until: 3, ratio: 0.5)
    let pruner = GradualPruner(
      criterion: FeatureRelevanceCriterion(), schedule: s, training: Self.options(epochs: 4),
      scoringBatches: 1, scoringBatchSize: 32)
    var events = 0
    let report = try pruner.run(
      try Self.network(), on: data, evaluation: Self.split(seed: 6, count: 32), context: context,
      rng: SeededRNG(seed: 3)
    ) { event in
      if case .pruned = event { events += 1 }
      return .proceed
    }
    // 112 channels, 56 to go in 3 steps: 18, 19, 19, after epochs 1, 2, 3.
    #expect(report.steps.map(\.removed) == [18, 19, 19])
    #expect(report.steps.map(\.epoch) == [1, 2, 3])
    #expect(events == 3)
    #expect(report.epochs.map(\.channels) == [94, 75, 56, 56])
    #expect(report.epochs.map(\.removed) == [18, 19, 19, 0])
    let convs = report.network.nodes.compactMap { node -> Int? in
      if case .conv(let c) = node.operation { return c.outChannels }
      return nil
    }
    #expect(convs.reduce(0, +) == 56)
    #expect(report.epochs.allSatisfy { $0.testAccuracy != nil })
    #expect(report.epochs.last?.macs == report.network.macs)
    // Each step's indices are within the network it cut, and as many as it says.
    for step in report.steps {
      #expect(step.removedByGroup.values.reduce(0) { $0 + $1.count } == step.removed)
    }
  }

  @Test func alignedStepsKeepMultiplesOfTheAlignment() throws {
    let data = Self.split()
    let context = try ComputeContext(threads: 1)
    let s = try GradualSchedule(epochs: 2, every: 1, until: 2, ratio: 0.5)
    var pruner = GradualPruner(
      criterion: FeatureRelevanceCriterion(), schedule: s, training: Self.options(epochs: 2),
      scoringBatches: 1, scoringBatchSize: 32)
    pruner.alignment = 4
    let report = try pruner.run(
      try Self.network(), on: data, context: context, rng: SeededRNG(seed: 3))
    // Widths 8, 8, 16, 16, 32, 32: after every step each conv keeps a multiple of 4.
    #expect(report.steps.count == 2)
    let convs = report.network.nodes.compactMap { node -> Int? in
      if case .conv(let c) = node.operation { return c.outChannels }
      return nil
    }
    #expect(convs.allSatisfy { $0 % 4 == 0 && $0 >= 4 }, "\(convs)")
    #expect(convs.reduce(0, +) < 112)
    for step in report.steps {
      #expect(step.removedByGroup.values.reduce(0) { $0 + $1.count } == step.removed)
    }
  }

  @Test func flopsTargetReachesEachStepsShare() throws {
    let data = Self.split()
    let context = try ComputeContext(threads: 1)
    let s = try GradualSchedule(epochs: 3, every: 1, until: 2, ratio: 0.5, target: .flops)
    let pruner = GradualPruner(
      criterion: L2Criterion(), schedule: s, training: Self.options(epochs: 3))
    let net = try Self.network()
    let report = try pruner.run(net, on: data, context: context, rng: SeededRNG(seed: 4))
    let base = Double(net.macs)
    // After step k the MACs are at most (1 − k/2 · 50%) of the start, and one channel fewer
    // would not have been enough (the prefix is the shortest).
    #expect(Double(report.steps[0].macs) <= base * 0.75)
    #expect(Double(report.steps[1].macs) <= base * 0.5)
    #expect(Double(report.steps[1].macs) > base * 0.4, "\(report.steps.map(\.macs)) of \(base)")
  }

  /// `until` = 1: one step after epoch 1, removing the whole target — which must be exactly
  /// one-shot pruning after one epoch (global ranking of the same FRS scores, the planner's
  /// global allocation) followed by training on with the same run (batches, schedule, momentum).
  @Test func untilOneEqualsOneShotPruningAfterTheFirstEpoch() throws {
    let data = Self.split()
    let context = try ComputeContext(threads: 1)
    let rng = SeededRNG(seed: 21)
    let options = Self.options(epochs: 3)
    let s = try GradualSchedule(epochs: 3, every: 1, until: 1, ratio: 0.4)
    let pruner = GradualPruner(
      criterion: FeatureRelevanceCriterion(), schedule: s, training: options,
      scoringBatches: 1, scoringBatchSize: 32)
    let gradual = try pruner.run(try Self.network(), on: data, context: context, rng: rng)

    var run = try TrainingRun(
      network: try Self.network(), split: data, options: options, rng: rng.derived("train"),
      context: context)
    _ = try run.epoch(0)
    let scores = try FeatureRelevanceCriterion().score(
      ScoringInput(
        network: run.network, data: data, batches: 1, batchSize: 32, context: context,
        rng: rng.derived("gradual.score.1")))
    let plan = try Planner(network: run.network).plan(
      scores: scores, ratio: 0.4, options: PlanOptions(allocation: .global(normalization: .none)))
    #expect(plan.removedCount == 45)  // round(0.4 · 112)
    let pruned = try Surgery.prune(run.network, with: plan)
    try run.replace(
      network: pruned, optimizer: try run.optimizer.pruned(for: run.network, with: plan))
    _ = try run.epoch(1)
    _ = try run.epoch(2)
    #expect(gradual.steps.count == 1 && gradual.steps[0].removed == 45)
    for g in plan.groups {
      #expect((gradual.steps[0].removedByGroup[g.group] ?? []) == g.removed, "\(g.group)")
    }
    #expect(Self.maxDifference(gradual.network, run.network) == 0)
  }

  /// The kept channels' momentum survives surgery: the physically pruned run matches a masked
  /// run of the full network (masks re-applied after every step, velocities never reset) on
  /// every kept weight, while a run that restarts the optimizer after surgery does not.
  @Test func momentumOfKeptChannelsIsCarriedOver() throws {
    let data = Self.split()
    let context = try ComputeContext(threads: 1)
    let rng = SeededRNG(seed: 8)
    let options = Self.options(epochs: 2)
    let s = try GradualSchedule(epochs: 2, every: 1, until: 1, ratio: 0.3)
    let pruner = GradualPruner(
      criterion: L1Criterion(), schedule: s, training: options)
    let start = try Self.network()
    let gradual = try pruner.run(start, on: data, context: context, rng: rng)
    let removed = gradual.steps[0].removedByGroup

    // Masked reference: the same first epoch, then masks, then epoch 2 re-masking each step.
    var masked = try TrainingRun(
      network: start, split: data, options: options, rng: rng.derived("train"), context: context)
    _ = try masked.epoch(0)
    let groups = try ChannelGroups(network: start)
    let plan = PruningPlan(
      model: start.name, fingerprint: start.fingerprint, criterion: "l1", ratio: 0.3,
      strategy: .uniform, selection: .topK,
      groups: groups.groups.map {
        GroupPlan(group: $0.id, channels: $0.channels, removed: removed[$0.id] ?? [])
      })
    let afterFirst = masked.network
    try masked.replace(
      network: try Surgery.mask(afterFirst, with: plan), optimizer: masked.optimizer)
    _ = try masked.epoch(
      1,
      afterStep: { net in
        if let again = try? Surgery.mask(net, with: plan) { net = again }
      })
    let reference = try Surgery.prune(masked.network, with: plan)
    let agreement = Self.maxDifference(gradual.network, reference)

    // Control: the same surgery with a fresh optimizer.
    var fresh = try TrainingRun(
      network: start, split: data, options: options, rng: rng.derived("train"), context: context)
    _ = try fresh.epoch(0)
    try fresh.replace(
      network: try Surgery.prune(fresh.network, with: plan),
      optimizer: SGD(momentum: 0.9, weightDecay: Float(options.weightDecay)))
    _ = try fresh.epoch(1)
    let reset = Self.maxDifference(gradual.network, fresh.network)
    #expect(agreement < 1e-5, "pruned vs masked: \(agreement)")
    #expect(reset > 100 * max(agreement, 1e-7), "pruned vs reset momentum: \(reset)")
  }

  @Test func aStopRequestEndsTheRunAtABatchBoundary() throws {
    let s = try GradualSchedule(epochs: 3, every: 1, until: 2, ratio: 0.3)
    let pruner = GradualPruner(
      criterion: L1Criterion(), schedule: s, training: Self.options(epochs: 3))
    var steps = 0
    let report = try pruner.run(
      try Self.network(), on: Self.split(), context: try ComputeContext(threads: 1),
      rng: SeededRNG(seed: 1)
    ) { event in
      guard case .training = event else { return .proceed }
      steps += 1
      return steps == 4 ? .stop : .proceed
    }
    #expect(report.interrupted)
    #expect(steps == 4)
    // The stop came in epoch 2 (3 steps per epoch), after step 1's pruning only.
    #expect(report.steps.count == 1 && report.epochs.count == 1)
  }
}
