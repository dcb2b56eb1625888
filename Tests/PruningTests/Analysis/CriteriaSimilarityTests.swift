import NeuralNet
import TensorCore
import Testing

@testable import Pruning

@Suite("Criteria similarity")
struct CriteriaSimilarityTests {
  /// Three criteria on a 2-layer toy; `c` is constant in the second layer.
  static let toy: [LayerScores] = [
    AnalysisFixtures.scores(
      "a", [("c1", [0.5, 1.2, 0.3, 2.0, 0.9, 1.2]), ("c2", [3, 1, 4, 1, 5])]),
    AnalysisFixtures.scores(
      "b", [("c1", [1.0, 0.8, 0.2, 3.1, 0.8, 1.5]), ("c2", [2, 7, 1, 8, 2])]),
    AnalysisFixtures.scores("c", [("c1", [1, 2, 3, 4, 5, 6]), ("c2", [2, 2, 2, 2, 2])]),
  ]

  @Test func matricesMatchScipy() throws {
    let sim = try CriteriaSimilarity(scores: Self.toy)
    #expect(sim.criteria == ["a", "b", "c"])
    #expect(sim.layerNames == ["c1", "c2"])
    #expect(sim.layers.map(\.filters) == [6, 5])
    // Reference: scipy.stats.spearmanr(x, y)[0] and scipy.stats.kendalltau(x, y)[0]
    // (variant 'b') on the vectors above, scipy 1.x, printed with repr().
    let c1 = sim.layers[0]
    #expect(analysisClose(c1.spearman[0][1], 0.7500000000000001))
    #expect(analysisClose(c1.kendall[0][1], 0.6428571428571429))
    #expect(analysisClose(c1.spearman[0][2], 0.3768511731740915))
    #expect(analysisClose(c1.kendall[0][2], 0.2760262237369417))
    #expect(analysisClose(c1.spearman[1][2], 0.28988551782622424))
    #expect(analysisClose(c1.kendall[1][2], 0.13801311186847084))
    let c2 = sim.layers[1]
    #expect(analysisClose(c2.spearman[0][1], -0.7894736842105264))
    #expect(analysisClose(c2.kendall[0][1], -0.6666666666666666))
    // Symmetric, ones on the diagonal.
    for layer in sim.layers {
      for a in 0..<3 {
        for b in 0..<3 {
          #expect(layer.spearman[a][b] == layer.spearman[b][a])
          #expect(layer.kendall[a][b] == layer.kendall[b][a])
        }
      }
    }
    #expect(c1.spearman[0][0] == 1 && c1.kendall[2][2] == 1)
  }

  @Test func constantScoresAreUndefinedAndSkippedInTheMean() throws {
    let sim = try CriteriaSimilarity(scores: Self.toy)
    let c2 = sim.layers[1]
    // scipy returns nan for a constant input; here the cell is nil.
    #expect(c2.spearman[0][2] == nil && c2.kendall[1][2] == nil && c2.spearman[2][2] == nil)
    // Means: (ρ_c1 + ρ_c2)/2 from the scipy values (mean ρ(a,b) = -0.019736842105263164,
    // mean τ(a,b) = -0.011904761904761862); the pairs with c have only layer c1.
    #expect(analysisClose(sim.meanSpearman[0][1], -0.019736842105263164))
    #expect(analysisClose(sim.meanKendall[0][1], -0.011904761904761862))
    #expect(sim.spearmanLayerCounts[0][1] == 2 && sim.kendallLayerCounts[0][1] == 2)
    #expect(analysisClose(sim.meanSpearman[0][2], 0.3768511731740915))
    #expect(analysisClose(sim.meanKendall[1][2], 0.13801311186847084))
    #expect(sim.spearmanLayerCounts[0][2] == 1 && sim.kendallLayerCounts[2][1] == 1)
    #expect(sim.meanSpearman[2][2] == 1 && sim.spearmanLayerCounts[2][2] == 1)
    // For Render: nil becomes NaN.
    let filled = CriteriaSimilarity.nanFilled(c2.spearman)
    #expect(filled[0][2].isNaN && filled[0][1] == c2.spearman[0][1])
  }

  @Test func layerSelectionRestrictsTheLayers() throws {
    let only = try CriteriaSimilarity(
      scores: Self.toy, layers: AnalysisLayerSelection(only: ["c2"]))
    #expect(only.layerNames == ["c2"])
    #expect(only.spearmanLayerCounts[0][2] == 0 && only.meanSpearman[0][2] == nil)
    let noFirst = try CriteriaSimilarity(
      scores: Self.toy, layers: AnalysisLayerSelection(excludeFirstConv: true))
    #expect(noFirst.layerNames == ["c2"])
  }

  @Test func rethinkingSelectionDropsFirstAndPointwiseConvs() throws {
    let net = try AnalysisFixtures.convChain(
      inputChannels: 1,
      convs: [("c1", 4, 3), ("c2", 4, 1), ("c3", 4, 3), ("c4", 3, 3)])
    let layers = try AnalysisLayerSelection.rethinking.resolve(
      candidates: ["c1", "c2", "c3", "c4"], network: net)
    #expect(layers == ["c3", "c4"])
    #expect(throws: AnalysisError.needsNetwork(option: "excluding 1×1 convs")) {
      try AnalysisLayerSelection.rethinking.resolve(candidates: ["c1", "c2"], network: nil)
    }
    #expect(throws: AnalysisError.noLayers) {
      try AnalysisLayerSelection.rethinking.resolve(candidates: ["c1", "c2"], network: net)
    }
    #expect(throws: AnalysisError.unknownLayer(name: "x", known: ["c1"])) {
      try AnalysisLayerSelection(only: ["x"]).resolve(candidates: ["c1"], network: nil)
    }
  }

  @Test func badInputsThrow() throws {
    let a = AnalysisFixtures.scores("a", [("c1", [1, 2, 3])])
    #expect(throws: AnalysisError.noCriteria) { try CriteriaSimilarity(scores: []) }
    #expect(throws: AnalysisError.duplicateCriterion(name: "a")) {
      try CriteriaSimilarity(scores: [a, a])
    }
    #expect(throws: AnalysisError.missingLayer(criterion: "b", layer: "c1")) {
      try CriteriaSimilarity(scores: [a, AnalysisFixtures.scores("b", [("c9", [1, 2, 3])])])
    }
    #expect(
      throws: AnalysisError.scoreCountMismatch(
        layer: "c1", criterion: "b", expected: 3, actual: 2)
    ) {
      try CriteriaSimilarity(scores: [a, AnalysisFixtures.scores("b", [("c1", [1, 2])])])
    }
    #expect(throws: AnalysisError.nonFiniteScore(criterion: "b", layer: "c1", index: 1)) {
      try CriteriaSimilarity(scores: [a, AnalysisFixtures.scores("b", [("c1", [1, .nan, 2])])])
    }
  }

  @Test func realCriteriaOnATinyNetwork() throws {
    let net = try AnalysisFixtures.convChain(
      inputChannels: 2, convs: [("c1", 8, 3), ("c2", 8, 3)])
    let input = ScoringInput(
      network: net, context: try ComputeContext(threads: 1), rng: SeededRNG(seed: 3))
    let all = try CriterionRegistry.standard.score(["l1", "l2", "fpgm"], input: input)
    let sim = try CriteriaSimilarity(scores: all, network: net)
    #expect(sim.criteria == ["l1", "l2", "fpgm"])
    #expect(sim.layerNames == ["c1", "c2"])
    // Scores with 8 distinct filters are never constant: every cell is defined in [-1, 1].
    for layer in sim.layers {
      for row in layer.spearman + layer.kendall {
        for v in row {
          let value = try #require(v)
          #expect(value >= -1 && value <= 1)
        }
      }
    }
    #expect(sim.spearmanLayerCounts.flatMap { $0 }.allSatisfy { $0 == 2 })
  }
}
