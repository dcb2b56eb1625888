import ClusterExecution
import Foundation
import XCTest

final class PartitionTests: XCTestCase {
  /// 10 items in 4 tasks: sizes 3, 3, 2, 2 (hand-computed), contiguous, covering 0..<10.
  func testPartitionIsContiguousAndBalanced() {
    XCTAssertEqual(JobFolder.partition(10, into: 4), [0..<3, 3..<6, 6..<8, 8..<10])
    XCTAssertEqual(JobFolder.partition(2, into: 8), [0..<1, 1..<2])
    XCTAssertEqual(JobFolder.partition(0, into: 3), [])
  }

  /// `--array` specs: runs become ranges.
  func testArraySpec() {
    XCTAssertEqual(SlurmExecutor.arraySpec([0, 1, 2, 3]), "0-3")
    XCTAssertEqual(SlurmExecutor.arraySpec([5, 0, 1, 2, 7, 8]), "0-2,5,7-8")
    XCTAssertEqual(SlurmExecutor.arraySpec([4]), "4")
  }

  /// Slurm's `--time` forms are accepted, others refused.
  func testTimeLimits() {
    for ok in ["30", "30:00", "1:00:00", "2-0", "2-12:00", "2-12:00:00", "UNLIMITED"] {
      XCTAssertTrue(SlurmOptions.isValidTime(ok), ok)
    }
    for bad in ["", "1h", "1:2:3:4", "-5", "1-2-3", "10 min", "a:b"] {
      XCTAssertFalse(SlurmOptions.isValidTime(bad), bad)
    }
  }
}

final class SlurmRequirementTests: XCTestCase {
  /// CI sets SHEARS_REQUIRE_SLURM=1 after starting scripts/slurm-local: there the Slurm tests
  /// must run, so a Slurm that did not come up fails instead of skipping them.
  func testSlurmRunsWhereRequired() throws {
    guard ProcessInfo.processInfo.environment["SHEARS_REQUIRE_SLURM"] == "1" else {
      throw XCTSkip("SHEARS_REQUIRE_SLURM is not set (CI sets it)")
    }
    XCTAssertTrue(ClusterFixtures.slurmRuns, ClusterFixtures.slurmMissing)
  }
}
