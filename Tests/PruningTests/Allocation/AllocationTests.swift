import Foundation
import NeuralNet
import TensorCore
import Testing

@testable import Pruning

@Suite struct AllocationTests {
  func group(_ id: String, _ channels: Int) -> ChannelGroup {
    ChannelGroup(
      id: id, channels: channels, producers: [id], shortcutProducers: [], batchNorms: [],
      consumers: [])
  }

  func input(
    _ groups: [ChannelGroup], _ scores: [String: [Double]], ratio: Double, floor: Int = 1
  ) throws -> AllocationInput {
    var rng = SeededRNG(seed: 3)
    let net = try ModelZoo.make(
      "resnet20", options: ModelOptions(inputSize: 8, widthMultiplier: 0.5), rng: &rng)
    return AllocationInput(
      network: net, groups: groups, scores: scores, ratio: ratio, minimumChannels: floor)
  }

  @Test func uniformCutsTheSameFractionUpToTheFloor() throws {
    let groups = [group("a", 8), group("b", 3)]
    let scores = ["a": [Double](repeating: 1, count: 8), "b": [1, 2, 3]]
    // round(0.5·8) = 4; round(0.5·3) = 2 (half away from zero) but b keeps its floor of 2 → 1.
    let counts = try UniformAllocation().counts(input(groups, scores, ratio: 0.5, floor: 2))
    #expect(counts == ["a": 4, "b": 1])
  }

  @Test func globalRanksRawScoresAcrossGroups() throws {
    let groups = [group("a", 4), group("b", 4)]
    let scores: [String: [Double]] = ["a": [1, 2, 3, 4], "b": [0.5, 10, 11, 12]]
    // 8 channels, ratio 0.5 → the 4 lowest go: 0.5 (b), then 1, 2, 3 (a).
    let counts = try GlobalAllocation(normalization: .none).counts(
      input(groups, scores, ratio: 0.5))
    #expect(counts == ["a": 3, "b": 1])
    // With a floor of 2, a gives only 2 and the next lowest, b's 10, goes.
    let floored = try GlobalAllocation(normalization: .none).counts(
      input(groups, scores, ratio: 0.5, floor: 2))
    #expect(floored == ["a": 2, "b": 2])
  }

  @Test func missingScoresAreATypedError() throws {
    let groups = [group("a", 4)]
    #expect(throws: PruningError.self) {
      try GlobalAllocation(normalization: .l2).counts(input(groups, [:], ratio: 0.5))
    }
    #expect(throws: PruningError.self) {
      try BalancedAllocation(target: .flops, granularity: nil).counts(
        input(groups, ["a": [1, 2, 3, 4]], ratio: 0.5))
    }
  }

  @Test func strategiesMapToTheirAllocators() {
    #expect(AllocationStrategy.uniform.allocator is UniformAllocation)
    #expect(AllocationStrategy.global(normalization: .rank).allocator is GlobalAllocation)
    #expect(
      AllocationStrategy.balanced(target: .params, granularity: 2).allocator is BalancedAllocation)
    #expect(AllocationStrategy.clr(lambda: 3).allocator is CLRAllocation)
    #expect(!AllocationStrategy.clr(lambda: nil).allocator.prunesResidualStreamsByDefault)
    #expect(AllocationStrategy.uniform.allocator.prunesResidualStreamsByDefault)
  }

  @Test func plansStoredWithAStrategyNameStillDecode() throws {
    let old = """
      {"model":"resnet20","fingerprint":"f","criterion":"l1","ratio":0.5,"strategy":"global",
       "selection":"rnf","groups":[{"group":"conv1","channels":4,"removed":[0,2]}]}
      """
    let plan = try JSONDecoder().decode(PruningPlan.self, from: Data(old.utf8))
    #expect(plan.strategy == .global(normalization: .l2))
    #expect(plan.selection == .rnf)
    #expect(plan.groups == [GroupPlan(group: "conv1", channels: 4, removed: [0, 2])])

    let unknown = old.replacingOccurrences(of: "\"global\"", with: "\"fastest\"")
    #expect(throws: DecodingError.self) {
      try JSONDecoder().decode(PruningPlan.self, from: Data(unknown.utf8))
    }

    var typed = plan
    typed.strategy = .clr(lambda: 2.5)
    let back = try JSONDecoder().decode(
      PruningPlan.self, from: try JSONEncoder().encode(typed))
    #expect(back == typed)
  }
}
