import Testing

@testable import Pruning

@Suite("Pruning overlap")
struct PruningOverlapTests {
  @Test func jaccardOfKnownSets() throws {
    // Ratio 0.4: 4 filters → round(1.6) = 2 pruned, 3 → round(1.2) = 1, 1 → round(0.4) = 0.
    let sets = [
      AnalysisFixtures.scores("a", [("L1", [1, 2, 3, 4]), ("L2", [1, 2, 3]), ("L3", [5])]),
      AnalysisFixtures.scores("b", [("L1", [4, 3, 2, 1]), ("L2", [3, 2, 1]), ("L3", [5])]),
      AnalysisFixtures.scores("c", [("L1", [1, 3, 2, 4]), ("L2", [1, 2, 3]), ("L3", [5])]),
    ]
    let o = try PruningOverlap(scores: sets, ratio: 0.4)
    #expect(o.layers.map(\.prunedCount) == [2, 1, 0])
    // L1: a prunes {0,1}, b {2,3}, c {0,2}.
    #expect(o.layers[0].pruned == [[0, 1], [2, 3], [0, 2]])
    #expect(o.layers[0].jaccard[0][1] == 0)
    #expect(o.layers[0].jaccard[0][2] == 1.0 / 3.0)
    #expect(o.layers[0].jaccard[1][2] == 1.0 / 3.0)
    #expect(o.layers[0].shared[0][2] == 0.5)
    // L2: a {0}, b {2}, c {0}.
    #expect(o.layers[1].pruned == [[0], [2], [0]])
    #expect(o.layers[1].jaccard[0][2] == 1 && o.layers[1].jaccard[0][1] == 0)
    // L3 prunes nothing: Jaccard 1 by convention, left out of the mean.
    #expect(o.layers[2].jaccard[0][1] == 1)
    #expect(o.layersInMean == 2)
    // Means over L1, L2: ab (0 + 0)/2, ac (1/3 + 1)/2, bc (1/3 + 0)/2.
    let mean = try #require(o.meanJaccard)
    #expect(mean[0][1] == 0)
    #expect(analysisClose(mean[0][2], 2.0 / 3.0))
    #expect(analysisClose(mean[1][2], 1.0 / 6.0))
    #expect(mean[1][1] == 1)
    let shared = try #require(o.meanShared)
    #expect(shared[0][2] == 0.75 && shared[1][2] == 0.25)
  }

  @Test func noPrunedLayerGivesNoMean() throws {
    let sets = [
      AnalysisFixtures.scores("a", [("L1", [1, 2, 3])]),
      AnalysisFixtures.scores("b", [("L1", [3, 2, 1])]),
    ]
    let o = try PruningOverlap(scores: sets, ratio: 0)
    #expect(o.meanJaccard == nil && o.meanShared == nil && o.layersInMean == 0)
    #expect(throws: AnalysisError.invalidRatio(1.5)) {
      try PruningOverlap(scores: sets, ratio: 1.5)
    }
  }
}
