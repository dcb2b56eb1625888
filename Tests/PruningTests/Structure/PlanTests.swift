import Datasets
import NeuralNet
import TensorCore
import Testing

@testable import Pruning

@Suite struct PlanTests {
  func net(_ name: String = "resnet20", shortcut: ModelOptions.Shortcut = .a) throws -> Network {
    var rng = SeededRNG(seed: 3)
    return try ModelZoo.make(
      name, options: ModelOptions(inputSize: 8, widthMultiplier: 0.5, shortcut: shortcut), rng: &rng
    )
  }

  func l1(_ net: Network) throws -> LayerScores {
    let ctx = try ComputeContext(threads: 1)
    return try CriterionRegistry.standard.criterion(named: "l1").score(
      ScoringInput(network: net, data: nil, context: ctx, rng: SeededRNG(seed: 1)))
  }

  @Test func uniformRemovesTheLowestScores() throws {
    let n = try net()
    let s = try l1(n)
    let plan = try Planner(network: n).plan(scores: s, ratio: 0.5)
    let g = try #require(plan.group("layer1.1.conv1"))
    #expect(g.removed.count == 4)  // 8 channels at width 0.5
    let scores = s["layer1.1.conv1"]!
    let threshold = g.removed.map { scores[$0] }.max()!
    #expect(g.kept.allSatisfy { scores[$0] >= threshold })
  }

  @Test func badPlansAreRefusedWithClearMessages() throws {
    let n = try net()
    let s = try l1(n)
    let planner = try Planner(network: n)
    #expect(throws: PruningError.invalidOption("ratio must be in [0, 1), got 1.0")) {
      try planner.plan(scores: s, ratio: 1.0)
    }
    var plan = try planner.plan(scores: s, ratio: 0.25)
    plan.groups[0].group = "layer9.conv"
    do {
      _ = try Surgery.prune(n, with: plan)
      Issue.record("an unknown layer group was accepted")
    } catch let e as PruningError {
      #expect(e.description.contains("unknown layer group 'layer9.conv'"))
    }
    let other = try net(shortcut: .b)
    do {
      _ = try Surgery.prune(other, with: try planner.plan(scores: s, ratio: 0.25))
      Issue.record("a plan for another model was accepted")
    } catch let e as PruningError {
      #expect(e.description.contains("made for another model"))
    }
    var all = try planner.plan(scores: s, ratio: 0.25)
    all.groups[1].removed = Array(0..<all.groups[1].channels)
    #expect(throws: PruningError.self) { try Surgery.prune(n, with: all) }
  }

  @Test func globalKeepsAFloorPerGroup() throws {
    let n = try net()
    let s = try l1(n)
    let plan = try Planner(network: n).plan(
      scores: s, ratio: 0.9,
      options: PlanOptions(allocation: .global(normalization: .none), minimumChannels: 2))
    #expect(plan.groups.allSatisfy { $0.kept.count >= 2 })
    let total = plan.groups.reduce(0) { $0 + $1.channels }
    // 90% of all channels, limited only by the floors.
    #expect(plan.removedCount <= Int((0.9 * Double(total)).rounded()))
    #expect(plan.removedCount >= Int(0.8 * Double(total)))
  }

  /// The closed form of RNF against the paper's set-intersection loop (ALGORITHMS.md §4.4), on
  /// random filters without ties.
  @Test func rnfClosedFormMatchesIntersectionLoop() throws {
    var rng = SeededRNG(seed: 21)
    for trial in 0..<20 {
      let n = 6 + trial % 5
      let filters = (0..<n).map { _ in (0..<4).map { _ in Double(rng.nextNormal()) } }
      let m = 1 + trial % (n - 1)
      // The paper's loop.
      func distance(_ a: Int, _ b: Int) -> Double {
        zip(filters[a], filters[b]).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
      }
      let lists = (0..<n).map { i in
        (0..<n).sorted { a, b in
          if a == i || b == i { return a == i && b != i }
          return distance(i, a) < distance(i, b)
        }
      }
      var k = m
      var kept: Set<Int> = []
      while true {
        let a = lists.reduce(Set(0..<n)) { $0.intersection($1.prefix(k)) }
        if a.count >= m {
          let previous = lists.reduce(Set(0..<n)) { $0.intersection($1.prefix(k - 1)) }
          kept = a.count == m ? a : previous
          if kept.count < m {
            kept = previous.union(a.subtracting(previous).sorted().prefix(m - previous.count))
          }
          break
        }
        k += 1
      }
      let removed = try ReciprocalNearestFilters.removed(
        n - m, filters: filters, rng: SeededRNG(seed: 1))
      let keptByClosedForm = Set(0..<n).subtracting(removed)
      // Where the loop had to break a tie at the boundary both are valid; compare the sure part.
      let worst = ReciprocalNearestFilters.worstRanks(filters)
      let boundary = keptByClosedForm.map { worst[$0] }.max()!
      #expect(
        kept.filter { worst[$0] < boundary } == keptByClosedForm.filter { worst[$0] < boundary })
      #expect(kept.count == m && keptByClosedForm.count == m)
    }
  }

  @Test func clrPrunesHeavyBlocksMoreAndKeepsStreams() throws {
    var rng = SeededRNG(seed: 3)
    let n = try ModelZoo.make(
      "resnet56", options: ModelOptions(inputSize: 8, widthMultiplier: 0.5), rng: &rng)
    let s = try l1(n)
    let plan = try Planner(network: n).plan(
      scores: s, ratio: 0.5, options: PlanOptions(allocation: .clr(lambda: nil)))
    // Streams untouched by default under CLR.
    for g in plan.groups where g.group.hasPrefix("stream:") { #expect(g.removed.isEmpty) }
    // λ = 10: the stride-2 first blocks of stages 2 and 3 (factor ≈ 0.67 vs ≈ 0.89) are barely
    // pruned compared with the other blocks of their stage (ALGORITHMS.md §4.3).
    let first = plan.group("layer2.0.conv1")!.removed.count
    let other = plan.group("layer2.4.conv1")!.removed.count
    #expect(first < other)
  }

  /// A small 1×8×8, 3-class `model` and a calibration set of `images` random images, both drawn
  /// from one generator seeded `seed` (the model first).
  func calibrated(_ model: String, seed: UInt64, images: Int) throws -> (Network, Calibration) {
    var rng = SeededRNG(seed: seed)
    let n = try ModelZoo.make(
      model,
      options: ModelOptions(inputChannels: 1, inputSize: 8, classes: 3, widthMultiplier: 0.25),
      rng: &rng)
    let split = DataSplit(
      images: (0..<images * 64).map { _ in rng.nextNormal() },
      labels: (0..<images).map { Int32($0 % 3) }, channels: 1, height: 8, width: 8)
    let ctx = try ComputeContext(threads: 1)
    return (n, Calibration(split: split, images: images, batchSize: 16, context: ctx))
  }

  @Test func balancedReachesTheFlopsTarget() throws {
    let (n, calibration) = try calibrated("vgg-small", seed: 13, images: 48)
    let s = try l1(n)
    let plan = try Planner(network: n).plan(
      scores: s, ratio: 0.4,
      options: PlanOptions(allocation: .balanced(target: .flops, granularity: 1)),
      calibration: calibration)
    let pruned = try Surgery.prune(n, with: plan)
    let reduction = 1 - Double(pruned.macs) / Double(n.macs)
    #expect(reduction >= 0.4, "FLOPs reduction \(reduction)")
    #expect(plan.groups.allSatisfy { !$0.kept.isEmpty })
  }

  @Test func sensitivitySweepCoversEveryGroupAndRatio() throws {
    let (n, calibration) = try calibrated("resnet20", seed: 17, images: 32)
    let report = try SensitivityAnalysis.run(
      network: n, scores: try l1(n), ratios: [0.25, 0.5], calibration: calibration)
    #expect(report.groups.count == 12)
    #expect(report.points.count == 24)
    #expect(report.points.contains { $0.lossChange != 0 })
  }
}
