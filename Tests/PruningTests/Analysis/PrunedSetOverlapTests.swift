import Statistics
import Testing

@testable import Pruning

@Suite("Pruned sets and their overlap")
struct PrunedSetOverlapTests {
  @Test func lowestScoresArePrunedWithLowerIndexFirstOnTies() throws {
    // n = 4, ratio 0.5 -> 2 pruned: the two 0.1 scores (indices 1 and 3).
    #expect(
      try PrunedSetOverlap.prunedIndices(scores: [0.3, 0.1, 0.2, 0.1], ratio: 0.5) == [1, 3])
    // Three-way tie at 0.1, one to prune: the lowest index (1) goes first.
    #expect(try PrunedSetOverlap.prunedIndices(scores: [0.5, 0.1, 0.1, 0.1], ratio: 0.25) == [1])
    // round(0.5 · 5) = 3 with halves rounded away from zero.
    #expect(try PrunedSetOverlap.prunedCount(count: 5, ratio: 0.5) == 3)
    #expect(try PrunedSetOverlap.prunedIndices(scores: [5, 4, 3, 2, 1], ratio: 0.5) == [2, 3, 4])
    #expect(try PrunedSetOverlap.prunedIndices(scores: [5, 4, 3], ratio: 0) == [])
    #expect(try PrunedSetOverlap.prunedIndices(scores: [5, 4, 3], ratio: 1) == [0, 1, 2])
  }

  @Test func invalidRatioThrows() {
    #expect(throws: StatisticsError.self) {
      try PrunedSetOverlap.prunedIndices(scores: [1, 2], ratio: 1.5)
    }
  }

  @Test func jaccardAndOverlapByHand() {
    // A = {1,2,3}, B = {2,3,4,5}: |A∩B| = 2, |A∪B| = 5.
    #expect(PrunedSetOverlap.jaccard([1, 2, 3], [2, 3, 4, 5]) == 0.4)
    #expect(PrunedSetOverlap.overlap([1, 2, 3], [2, 3, 4, 5]) == 2.0 / 3.0)
    #expect(PrunedSetOverlap.overlap([2, 3, 4, 5], [1, 2, 3]) == 0.5)
    #expect(PrunedSetOverlap.jaccard([], []) == 1)
    #expect(PrunedSetOverlap.overlap([], [1]) == 1)
    #expect(PrunedSetOverlap.jaccard([1], [2]) == 0)
  }
}
