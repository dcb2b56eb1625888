import Datasets
import Foundation
import NeuralNet
import TensorCore
import Testing

@testable import Pruning

/// `align=`: kept counts become multiples (or the whole group), never more than `m − 1` above
/// the allocation's own count, never zero; the plan records what changed and round-trips.
@Suite struct AlignmentTests {
  func group(_ id: String, _ channels: Int) -> ChannelGroup {
    ChannelGroup(
      id: id, channels: channels, producers: [id], shortcutProducers: [], batchNorms: [],
      consumers: [])
  }

  @Test func roundsDownFirstThenUpWhileTheMeasureAllows() throws {
    let groups = [group("a", 64), group("b", 32), group("c", 10)]
    // Kept 37, 27, 5 of 106: 37 channels removed. Down: 32, 16, and c (⌊5/16⌋ = 0 is no
    // choice) keeps all 10. Removed 32 + 16 + 0 = 48 ≥ 37. Rounding b up (32 − 27 = 5 first)
    // would remove 32 < 37, a up (48 − 37 = 11) 16 + 16 = 32 < 37: neither is allowed.
    let measure = ChannelAlignment.channelFraction(groups)
    let (removed, record) = try ChannelAlignment.align(
      removed: ["a": 27, "b": 5, "c": 5], groups: groups, multiple: 16, minimumChannels: 1,
      measure: measure)
    #expect(removed == ["a": 32, "b": 16, "c": 0])
    #expect(record.multiple == 16)
    #expect(
      record.changes == [
        .init(group: "a", channels: 64, unaligned: 37, aligned: 32),
        .init(group: "b", channels: 32, unaligned: 27, aligned: 16),
        .init(group: "c", channels: 10, unaligned: 5, aligned: 10),
      ])
    // A looser goal lets b go up: kept 20 and 27 of 64 + 32 → removed 44 + 5 = 49 of 96.
    let two = [group("a", 64), group("b", 32)]
    let (up, _) = try ChannelAlignment.align(
      removed: ["a": 44, "b": 5], groups: two, multiple: 16, minimumChannels: 1,
      measure: ChannelAlignment.channelFraction(two))
    // Down: a 16 (48 removed), b 16 (16 removed) = 64. b up (5): 48 + 0 = 48 < 49 refused;
    // a up (12): 32 + 16 = 48 < 49 refused.
    #expect(up == ["a": 48, "b": 16])
    let (up2, _) = try ChannelAlignment.align(
      removed: ["a": 35, "b": 5], groups: two, multiple: 16, minimumChannels: 1,
      measure: ChannelAlignment.channelFraction(two))
    // Kept 29 and 27 (40 removed); down 16/16 removes 64; a up first (32 − 29 = 3) → 32 + 16
    // = 48 ≥ 40 taken; then b up (5) → 32 + 0 = 32 < 40 refused.
    #expect(up2 == ["a": 32, "b": 16])
  }

  @Test func aGroupBroughtBackFromOneChannelIsPaidForElsewhere() throws {
    let groups = [group("a", 64), group("b", 32)]
    // b kept 1 (31 of 96 removed); never zero brings it to 16, only 16 removed: a goes down
    // one more multiple, 64 → 48, and 32 ≥ 31 are removed.
    let (removed, record) = try ChannelAlignment.align(
      removed: ["b": 31], groups: groups, multiple: 16, minimumChannels: 1,
      measure: ChannelAlignment.channelFraction(groups))
    #expect(removed == ["a": 16, "b": 16])
    #expect(
      record.changes == [
        .init(group: "a", channels: 64, unaligned: 64, aligned: 48),
        .init(group: "b", channels: 32, unaligned: 1, aligned: 16),
      ])
  }

  @Test func theFloorIsNeverCrossed() throws {
    let groups = [group("a", 64)]
    // Kept 20 with a floor of 17: 16 is below the floor, so 32.
    let (removed, _) = try ChannelAlignment.align(
      removed: ["a": 44], groups: groups, multiple: 16, minimumChannels: 17,
      measure: ChannelAlignment.channelFraction(groups))
    #expect(removed == ["a": 32])
    #expect(throws: PruningError.self) {
      try ChannelAlignment.align(
        removed: [:], groups: groups, multiple: 0, minimumChannels: 1, measure: { _ in 0 })
    }
  }

  static func fixture() throws -> (Network, Calibration, LayerScores) {
    var rng = SeededRNG(seed: 11)
    let n = try ModelZoo.make(
      "resnet20", options: ModelOptions(inputChannels: 1, inputSize: 8, classes: 4), rng: &rng)
    let split = DataSplit(
      images: (0..<16 * 64).map { _ in rng.nextNormal() },
      labels: (0..<16).map { Int32($0 % 4) }, channels: 1, height: 8, width: 8)
    let context = try ComputeContext(threads: 1)
    let scores = try L1Criterion().score(ScoringInput(network: n, context: context, rng: rng))
    return (n, Calibration(split: split, images: 16, batchSize: 16, context: context), scores)
  }

  @Test func alignedCountsAreMultiplesAcrossAllocations() throws {
    let (n, calibration, scores) = try Self.fixture()
    let planner = try Planner(network: n)
    let strategies: [AllocationStrategy] = [
      .uniform, .global(normalization: .l2), .global(normalization: .max, target: .flops),
      .clr(lambda: nil), .balanced(target: .flops, granularity: 2),
    ]
    for strategy in strategies {
      for (ratio, m) in [(0.3, 8), (0.5, 16), (0.45, 5)] {
        let options = PlanOptions(allocation: strategy)
        let plain = try planner.plan(
          scores: scores, ratio: ratio, options: options, calibration: calibration)
        var alignedOptions = options
        alignedOptions.alignment = .multiple(m)
        let aligned = try planner.plan(
          scores: scores, ratio: ratio, options: alignedOptions, calibration: calibration)
        let record = try #require(aligned.alignment)
        #expect(record.multiple == m && !record.automatic)
        var changed = 0
        for (p, a) in zip(plain.groups, aligned.groups) {
          let before = p.channels - p.removed.count
          let after = a.channels - a.removed.count
          let eligible =
            !(strategy.name == "clr" && planner.groups.group(id: p.group)!.isResidualStream)
          if eligible {
            #expect(
              after % m == 0 || after == a.channels,
              "\(strategy.name) \(ratio) m=\(m) \(a.group): kept \(after) of \(a.channels)")
            #expect(after <= before + m - 1, "\(strategy.name) \(a.group): \(before) → \(after)")
            #expect(after >= 1)
          } else {
            #expect(after == before)
          }
          // The kept channels are the group's best: aligned removals are the lowest-scored.
          if after < before { #expect(Set(p.removed).isSubset(of: Set(a.removed))) }
          if after != before { changed += 1 }
        }
        #expect(record.changes.count == changed)
      }
    }
  }

  /// `align=latency`: a pair of moves (one group up a multiple, another down) is taken when the
  /// cost falls and the measure stays at the goal; the bound above the unaligned counts holds.
  @Test func latencyRoundingSwapsAnOddPairForAnEvenOne() {
    let groups = [group("a", 64), group("b", 64)]
    // Cost per group: its blocks of 16, three times as dear when odd and above one block —
    // 48 kept (3 blocks) costs 9, 64 costs 4, 32 costs 2.
    func cost(_ removed: [String: Int]) -> Double {
      groups.reduce(0) { total, g in
        let blocks = (g.channels - (removed[g.id] ?? 0) + 15) / 16
        return total + Double(blocks) * (blocks > 1 && blocks % 2 == 1 ? 3 : 1)
      }
    }
    // Unaligned: a keeps 50, b 46 (32 of 128 removed, the goal 0.25). Aligned input: 48 and 48
    // (cost 18). a alone up to 64 removes 16 < 32: refused; a up with b down to 32 removes 32,
    // cost 4 + 2 = 6: taken. Then b up to 48 (its ceiling: 46 rounded up) alone removes 16,
    // refused; b up with a down is the way back (18): refused.
    let measure = ChannelAlignment.channelFraction(groups)
    let result = ChannelAlignment.lowerLatency(
      removed: ["a": 16, "b": 16], unaligned: ["a": 14, "b": 18], groups: groups, multiple: 16,
      minimumChannels: 1, measure: measure, cost: cost)
    #expect(result == ["a": 0, "b": 32])
    #expect(measure(result) >= 0.25)
    // b's ceiling is 48 (46 rounded up): it is never raised to 64, whatever the cost says.
    let capped = ChannelAlignment.lowerLatency(
      removed: ["a": 16, "b": 16], unaligned: ["a": 14, "b": 18], groups: groups, multiple: 16,
      minimumChannels: 1, measure: measure,
      cost: { r in r["b"] == 0 ? 0 : cost(r) })
    #expect(capped["b"] != 0)
    // A cost that only falls with more pruning does not over-prune: every move must keep the
    // measure within latencySlack (0.01) of what the rounding reached (one group down alone,
    // 16 of 128, is 0.125 over).
    let lean = ChannelAlignment.lowerLatency(
      removed: ["a": 16, "b": 16], unaligned: ["a": 14, "b": 18], groups: groups, multiple: 16,
      minimumChannels: 1, measure: measure,
      cost: { r in -Double(r.values.reduce(0, +)) })
    #expect(measure(lean) <= 0.25 + ChannelAlignment.latencySlack + 1e-12)
  }

  @Test func latencyAlignmentIsMultiplesNoSlowerThanAuto() throws {
    let (n, _, scores) = try Self.fixture()
    let planner = try Planner(network: n)
    // A model whose cost is the MACs, three times as dear per MAC at an odd number of blocks.
    var model = try LatencyModelTests.macsModel(n)
    model.block = 16
    for (key, layer) in model.layers {
      var l = layer
      l.seconds = layer.inGrid.map { i in
        layer.outGrid.map { o in
          let odd = ((i + 15) / 16) % 2 == 1 && i > 16 || ((o + 15) / 16) % 2 == 1 && o > 16
          return layer.seconds[i - 1][o - 1] * (odd ? 3 : 1)
        }
      }
      model.layers[key] = l
    }
    for ratio in [0.3, 0.5] {
      let options = PlanOptions(allocation: .global(normalization: .l2, target: .flops))
      let plain = try planner.plan(scores: scores, ratio: ratio, options: options)
      var auto = options
      auto.alignment = .automatic
      var fast = options
      fast.alignment = .latency
      let a = try planner.plan(scores: scores, ratio: ratio, options: auto)
      let l = try planner.plan(scores: scores, ratio: ratio, options: fast, latency: model)
      #expect(l.alignment?.byLatency == true && l.alignment?.automatic == true)
      #expect(a.alignment?.byLatency == false)
      func removed(_ p: PruningPlan) -> [String: Int] {
        Dictionary(uniqueKeysWithValues: p.groups.map { ($0.group, $0.removed.count) })
      }
      #expect(model.predict(removed: removed(l)) <= model.predict(removed: removed(a)) + 1e-15)
      // The FLOPs reduction the plain plan reached is kept.
      #expect(try Surgery.prune(n, with: l).macs <= Surgery.prune(n, with: plain).macs)
      for (p, g) in zip(plain.groups, l.groups) {
        let before = p.channels - p.removed.count
        let after = g.channels - g.removed.count
        #expect(after % 16 == 0 || after == g.channels, "\(g.group): \(after)")
        #expect(after <= before + 15 && after >= 1, "\(g.group): \(before) → \(after)")
      }
      let record = try #require(l.alignment)
      for c in record.changes {
        let p = try #require(plain.groups.first { $0.group == c.group })
        #expect(c.unaligned == p.channels - p.removed.count)
      }
    }
    // No model: a typed error naming how to make one.
    var fast = PlanOptions()
    fast.alignment = .latency
    #expect(throws: PruningError.self) {
      try planner.plan(scores: scores, ratio: 0.3, options: fast)
    }
  }

  @Test func automaticAlignmentIsTheEnginesBlock() throws {
    let (n, _, scores) = try Self.fixture()
    let plan = try Planner(network: n).plan(
      scores: scores, ratio: 0.4, options: PlanOptions(alignment: .automatic))
    #expect(MemoryDescriptor.channelBlock == 16)
    #expect(plan.alignment?.multiple == 16 && plan.alignment?.automatic == true)
    for g in plan.groups {
      let kept = g.channels - g.removed.count
      #expect(kept % 16 == 0 || kept == g.channels)
    }
  }

  @Test func plansRoundTripAndOldPlansStillDecode() throws {
    let (n, _, scores) = try Self.fixture()
    let plan = try Planner(network: n).plan(
      scores: scores, ratio: 0.4,
      options: PlanOptions(
        allocation: .global(normalization: .l2, target: .flops), alignment: .multiple(8)))
    let bytes = try JSONEncoder().encode(plan)
    let back = try JSONDecoder().decode(PruningPlan.self, from: bytes)
    #expect(back == plan)
    #expect(back.alignment != nil)
    // A plan written before alignment and global targets existed.
    let old = """
      {"model":"m","fingerprint":"f","criterion":"l1","ratio":0.5,
       "strategy":{"global":{"normalization":"l2"}},"selection":"top-k",
       "groups":[{"group":"conv1","channels":4,"removed":[0,2]}]}
      """
    let decoded = try JSONDecoder().decode(PruningPlan.self, from: Data(old.utf8))
    #expect(decoded.alignment == nil)
    #expect(decoded.strategy == .global(normalization: .l2, target: nil))
    #expect(decoded.groups.first?.removed == [0, 2])
  }
}
