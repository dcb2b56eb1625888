import Datasets
import NeuralNet
import TensorCore
import Testing

@testable import Pruning

/// Balanced allocation (ALGORITHMS.md §3.3): the cached search lands within its tolerance of
/// the target (the overshoot of issue 12 is gone), the sequential variant differs from it and
/// lands there too, and an unreachable target is cut to the floors.
@Suite struct BalancedTests {
  /// A fresh (untrained) `model` on 1×16×16 inputs, 4 classes, and `images` random images.
  static func fixture(_ model: String, width: Double, seed: UInt64, images: Int) throws -> (
    Network, Calibration, LayerScores
  ) {
    var rng = SeededRNG(seed: seed)
    let n = try ModelZoo.make(
      model,
      options: ModelOptions(inputChannels: 1, inputSize: 16, classes: 4, widthMultiplier: width),
      rng: &rng)
    let split = DataSplit(
      images: (0..<images * 256).map { _ in rng.nextNormal() },
      labels: (0..<images).map { Int32($0 % 4) }, channels: 1, height: 16, width: 16)
    let context = try ComputeContext(threads: 1)
    let scores = try L1Criterion().score(ScoringInput(network: n, context: context, rng: rng))
    return (n, Calibration(split: split, images: images, batchSize: 16, context: context), scores)
  }

  static func reduction(_ n: Network, _ plan: PruningPlan) throws -> Double {
    1 - Double(try Surgery.prune(n, with: plan).macs) / Double(n.macs)
  }

  /// The largest reduction `step` channels of any one group give on the unpruned network
  /// (counted on physically pruned networks). A step weighs most there (the layers around it
  /// are widest), so this bounds the search's overshoot: one step of one group.
  static func oneStep(_ n: Network, step: Int) throws -> Double {
    let groups = try ChannelGroups(network: n)
    var worst = 0.0
    for g in groups.groups where g.channels > step {
      let plan = PruningPlan(
        model: n.name, fingerprint: n.fingerprint, criterion: "", ratio: 0, strategy: .uniform,
        selection: .topK,
        groups: [GroupPlan(group: g.id, channels: g.channels, removed: Array(0..<step))])
      worst = max(worst, try reduction(n, plan))
    }
    return worst
  }

  @Test func cachedSearchLandsWithinOneStepOnAFreshNetwork() throws {
    // The case in small: untrained networks, where many cuts leave the loss unchanged
    // or lower it; the old positive-δ search removed 74% of vgg-small's FLOPs for 50%.
    for model in ["vgg-small", "resnet20"] {
      let (n, calibration, scores) = try Self.fixture(model, width: 0.5, seed: 3, images: 32)
      for ratio in [0.3, 0.5] {
        let plan = try Planner(network: n).plan(
          scores: scores, ratio: ratio,
          options: PlanOptions(allocation: .balanced(target: .flops, granularity: 1)),
          calibration: calibration)
        let r = try Self.reduction(n, plan)
        let step = try Self.oneStep(n, step: 1)
        #expect(r >= ratio && r <= ratio + step + 1e-12, "\(model) \(ratio): \(r), step \(step)")
        // Before the fix vgg-small lost 74% for 50%.
        if model == "vgg-small" { #expect(step < 0.03 && r < ratio + 0.03, "\(r), \(step)") }
      }
    }
  }

  @Test func sequentialDiffersFromCachedAndBothReachTheTarget() throws {
    let (n, calibration, scores) = try Self.fixture("vgg-small", width: 0.5, seed: 5, images: 32)
    let planner = try Planner(network: n)
    var plans: [BalancedMode: PruningPlan] = [:]
    for mode in BalancedMode.allCases {
      plans[mode] = try planner.plan(
        scores: scores, ratio: 0.5,
        options: PlanOptions(allocation: .balanced(target: .flops, granularity: 2, mode: mode)),
        calibration: calibration)
    }
    let cached = try #require(plans[.cached])
    let sequential = try #require(plans[.sequential])
    for plan in [cached, sequential] {
      let r = try Self.reduction(n, plan)
      let step = try Self.oneStep(n, step: 2)
      #expect(r >= 0.5 && r <= 0.5 + step + 1e-12, "\(plan.strategy): \(r), step \(step)")
    }
    // Measured on the network already cut, the groups get other cuts.
    #expect(cached.groups.map(\.removed.count) != sequential.groups.map(\.removed.count))
    #expect(sequential.strategy == .balanced(target: .flops, granularity: 2, mode: .sequential))
  }

  @Test func anUnreachableTargetCutsToTheFloors() throws {
    let (n, calibration, scores) = try Self.fixture("vgg-small", width: 0.25, seed: 7, images: 16)
    // Every group keeps 6 of its 8, 8, 16, 16, 32, 32 channels: far from 90% of the FLOPs.
    let plan = try Planner(network: n).plan(
      scores: scores, ratio: 0.9,
      options: PlanOptions(
        allocation: .balanced(target: .flops, granularity: 1), minimumChannels: 6),
      calibration: calibration)
    #expect(plan.groups.map(\.removed.count) == [2, 2, 10, 10, 26, 26])
    #expect(try Self.reduction(n, plan) < 0.9)
  }
}
