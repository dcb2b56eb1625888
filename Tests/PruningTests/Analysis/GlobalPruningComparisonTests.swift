import NeuralNet
import TensorCore
import Testing

@testable import Pruning

@Suite("Global pruning comparison")
struct GlobalPruningComparisonTests {
  /// Layer "big" (4 filters, scores 100…400) and layer "small" (16 filters, scores 1…16).
  static let toy = AnalysisFixtures.scores(
    "s", [("big", [100, 200, 300, 400]), ("small", (1...16).map(Double.init))])

  @Test func largeScoresProtectALayer() throws {
    // Ratio 0.5 of 20 filters: the 10 lowest are all in "small".
    let g = try GlobalPruningComparison(scores: [Self.toy], ratio: 0.5)
    #expect(g.layers == ["big", "small"] && g.filters == [4, 16])
    #expect(g.targetCount == 10 && g.prunedCount == 10)
    let r = g.results[0]
    #expect(r.prunedPerLayer == [0, 10])
    #expect(r.ratios == [0, 0.625])
    #expect(r.threshold == 10)
    #expect(r.protectedLayers.isEmpty)
  }

  @Test func noLayerIsRemovedWhole() throws {
    // Ratio 0.95 of 20: target 19, but each layer keeps one filter, so at most 18 go. "small"
    // loses 15 (scores 1…15), its last filter (16) is skipped, then "big" loses 100, 200, 300.
    let g = try GlobalPruningComparison(scores: [Self.toy], ratio: 0.95)
    #expect(g.targetCount == 19 && g.prunedCount == 18)
    let r = g.results[0]
    #expect(r.prunedPerLayer == [3, 15])
    #expect(r.ratios == [0.75, 15.0 / 16.0])
    #expect(r.protectedLayers == ["small"])
    #expect(r.threshold == 300)
  }

  @Test func maxNormalizationByHand() throws {
    // big/400 = .25 .5 .75 1; small/16 = k/16. Ascending (ties: layer order first):
    // s1 s2 s3 big.25 s4 s5 s6 s7 big.5 s8 → 10 removed: big 2, small 8.
    let g = try GlobalPruningComparison(scores: [Self.toy], ratio: 0.5, normalization: .max)
    #expect(g.results[0].prunedPerLayer == [2, 8])
    #expect(g.results[0].ratios == [0.5, 0.5])
    #expect(g.results[0].threshold == 0.5)
  }

  @Test func normalizationsByHand() throws {
    #expect(try GlobalScoreNormalization.none.apply([3, -1]) == [3, -1])
    #expect(try GlobalScoreNormalization.max.apply([1, -4, 2]) == [0.25, -1, 0.5])
    #expect(try GlobalScoreNormalization.max.apply([0, 0]) == [0, 0])
    #expect(try GlobalScoreNormalization.l2.apply([3, 4]) == [0.6, 0.8])
    // Average ranks [2.5, 1, 2.5] → (r − 1)/2.
    #expect(try GlobalScoreNormalization.rank.apply([5, 1, 5]) == [0.75, 0, 0.75])
    #expect(try GlobalScoreNormalization.rank.apply([7]) == [1])
  }

  @Test func distanceIsTheMeanAbsoluteRatioDifference() throws {
    // "t" gives "big" the lowest scores and "small" high ones.
    let other = AnalysisFixtures.scores(
      "t", [("big", [1, 2, 3, 4]), ("small", (1...16).map { 100 + Double($0) })])
    let g = try GlobalPruningComparison(scores: [Self.toy, other], ratio: 0.5)
    // t: big's 1, 2, 3 go, its 4 is kept (last filter), then small's 101…107: big 3, small 7.
    #expect(g.results[1].prunedPerLayer == [3, 7])
    #expect(g.results[1].protectedLayers == ["big"])
    // |0 − 0.75| and |0.625 − 0.4375|, averaged: (0.75 + 0.1875)/2.
    #expect(g.distances[0][1] == 0.46875 && g.distances[1][0] == 0.46875)
    #expect(g.distances[0][0] == 0)
  }

  /// The paper's finding (ALGORITHMS.md §2.4): with filters i.i.d. N(0, σ_l²) and σ_l² = 2/k_l
  /// (Kaiming scaling, as after training — plain N(0, 1) in both layers would make *both* norms
  /// rank every k = 9 filter below every k = 576 filter), ℓ2 norms are ≈ sqrt(2) in every
  /// layer but ℓ1 norms grow like sqrt(k): global ℓ1 prunes the k = 9 layer almost entirely,
  /// global ℓ2 much less.
  @Test func l1AndL2DifferInGlobalPruning() throws {
    var net = try AnalysisFixtures.convChain(
      inputChannels: 1, convs: [("small_k", 64, 3), ("large_k", 64, 3)])
    var rng = SeededRNG(seed: 11)
    let s9 = Float((2.0 / 9.0).squareRoot())
    let s576 = Float((2.0 / 576.0).squareRoot())
    try AnalysisFixtures.setWeights(&net, "small_k") { rng.nextNormal() * s9 }
    try AnalysisFixtures.setWeights(&net, "large_k") { rng.nextNormal() * s576 }
    let input = ScoringInput(
      network: net, context: try ComputeContext(threads: 1), rng: SeededRNG(seed: 1))
    let scores = try CriterionRegistry.standard.score(["l1", "l2"], input: input)
    let g = try GlobalPruningComparison(scores: scores, ratio: 0.5, network: net)
    #expect(g.prunedCount == 64)
    let l1 = g.results[0]
    let l2 = g.results[1]
    #expect(l1.prunedPerLayer.reduce(0, +) == 64 && l2.prunedPerLayer.reduce(0, +) == 64)
    // ℓ1: E = σ·k·sqrt(2/π) ≈ 3.4 (k = 9) vs 27 (k = 576): the small-k layer goes first,
    // down to its protected last filter.
    #expect(l1.prunedPerLayer == [63, 1])
    #expect(l1.protectedLayers == ["small_k"])
    // ℓ2: both layers ≈ sqrt(2); the small-k layer's wide spread (CV ≈ 1/sqrt(18)) puts part
    // of it above the large-k layer's narrow band.
    // (Seed 11 gives ℓ2 ratios 0.55 / 0.45 and a distance of 0.44.)
    #expect(l2.ratios[0] > 0.3 && l2.ratios[0] < 0.7)
    #expect(l2.ratios[1] > 0.3 && l2.ratios[1] < 0.7)
    #expect(g.distances[0][1] > 0.3)
    // Within each layer, ℓ1 and ℓ2 still rank alike (CWDA).
    let sim = try CriteriaSimilarity(scores: scores)
    // (ρ = 0.95 and 0.93 here; ALGORITHMS.md's simulation gives 0.93 at n = 64, k = 576.)
    #expect(try #require(sim.layers[1].spearman[0][1]) > 0.85)
  }
}
