import Pruning
import Testing

@Suite("Applicability analysis")
struct ApplicabilityAnalysisTests {
  @Test func coefficientOfVariationByHand() throws {
    // c1: 4 → 4 channels, 3×3: k = 36; c2: 4 → 2 channels, 1×1: k = 4.
    let net = try AnalysisFixtures.convChain(
      inputChannels: 4, convs: [("c1", 4, 3), ("c2", 2, 1)])
    let sets = [
      AnalysisFixtures.scores("up", [("c1", [1, 2, 3, 4]), ("c2", [2, 6])]),
      AnalysisFixtures.scores("zero", [("c1", [-1, 1, -2, 2]), ("c2", [1, 1])]),
    ]
    let a = try ApplicabilityAnalysis(scores: sets, network: net, ratio: 0.5)
    #expect(a.layers.map(\.dimension) == [36, 4])
    #expect(a.layers.map(\.filters) == [4, 2])
    // 1/sqrt(2·36) = 1/sqrt(72) = 0.11785113019775793; 1/sqrt(8) = 0.35355339059327373.
    #expect(analysisClose(a.layers[0].cwdaPrediction, 0.11785113019775793))
    #expect(analysisClose(a.layers[1].cwdaPrediction, 0.35355339059327373))
    // [1,2,3,4]: mean 2.5, sample sd sqrt(5/3) = 1.2909944487358056, CV 0.5163977794943222.
    let up = try #require(a.layers[0].entries[0].report)
    #expect(analysisClose(up.coefficientOfVariation, 0.5163977794943222))
    #expect(analysisClose(up.ratioToPrediction, 0.5163977794943222 / 0.11785113019775793))
    // Sorted [4,3,2,1], 2 kept: (3 − 2)/2.5.
    #expect(analysisClose(up.relativeThresholdGap, 0.4))
    // [2, 6]: mean 4, sd sqrt(8) = 2.8284271247461903, CV 0.7071067811865476; gap (6−2)/4.
    let up2 = try #require(a.layers[1].entries[0].report)
    #expect(analysisClose(up2.coefficientOfVariation, 0.7071067811865476))
    #expect(analysisClose(up2.relativeThresholdGap, 1))
    // Zero mean: no report, a reason instead.
    #expect(a.layers[0].entries[1].report == nil)
    #expect(a.layers[0].entries[1].problem?.contains("mean") == true)
    // Constant scores: CV 0, no gap.
    #expect(a.layers[1].entries[1].report?.coefficientOfVariation == 0)
  }

  @Test func scoreCountsAreCheckedAgainstTheNetwork() throws {
    let net = try AnalysisFixtures.convChain(inputChannels: 1, convs: [("c1", 4, 3)])
    let wrong = AnalysisFixtures.scores("l1", [("c1", [1, 2, 3])])
    #expect(
      throws: AnalysisError.scoreCountMismatch(
        layer: "c1", criterion: "l1", expected: 4, actual: 3)
    ) {
      try ApplicabilityAnalysis(scores: [wrong], network: net, ratio: 0.5)
    }
  }
}
