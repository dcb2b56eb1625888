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
