import Pruning
import Statistics
import Testing

@Suite("Applicability")
struct ApplicabilityTests {
  @Test func coefficientOfVariationByHand() throws {
    // [1, 2, 3]: mean 2, sample standard deviation 1.
    #expect(try Applicability.coefficientOfVariation([1, 2, 3]) == 0.5)
    #expect(throws: StatisticsError.self) { try Applicability.coefficientOfVariation([-1, 1]) }
    #expect(throws: StatisticsError.self) { try Applicability.coefficientOfVariation([1]) }
    #expect(Applicability.cwdaPrediction(dimension: 8) == 0.25)
  }

  @Test func relativeGapByHand() throws {
    // Sorted descending [4, 3, 2, 1]; ratio 0.5 keeps m = 2: (s_(2) − s_(3))/mean = 1/2.5.
    #expect(try Applicability.relativeThresholdGap(scores: [4, 1, 3, 2], ratio: 0.5) == 0.4)
    // A tie at the threshold gives no gap.
    #expect(try Applicability.relativeThresholdGap(scores: [4, 2, 2, 1], ratio: 0.5) == 0)
    #expect(try Applicability.relativeThresholdGap(scores: [4, 1, 3, 2], ratio: 0) == nil)
    #expect(try Applicability.relativeThresholdGap(scores: [4, 1, 3, 2], ratio: 1) == nil)
  }

  @Test func reportCombinesTheFigures() throws {
    let report = try Applicability.report(scores: [1, 2, 3], dimension: 8, ratio: 1.0 / 3.0)
    #expect(report.coefficientOfVariation == 0.5)
    #expect(report.cwdaPrediction == 0.25)
    #expect(report.ratioToPrediction == 2)
    // One pruned: kept m = 2 of [3, 2, 1]: (2 − 1)/2.
    #expect(report.relativeThresholdGap == 0.5)
  }
}
