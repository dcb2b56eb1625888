import Foundation
import Statistics
import TestSupport
import Testing

@testable import Pruning

@Suite("CWDA test battery")
struct CWDABatteryTests {
  @Test func smallMatrixByHand() throws {
    // F = [[1,2,3],[3,2,1]]: means (2,2,2), centred rows ±(−1,0,1); with divisor N−1 = 1,
    // S = [[2,0,−2],[0,0,0],[−2,0,2]]: tr S = 4, tr S² = 16, U = 3·16/16 − 1 = 2;
    // mean |off-diagonal| = 2/3, mean diagonal = 4/3 -> 0.5; ‖mean‖/(σ̂√k) = sqrt(12/4).
    // t-tests: coordinate 2 is the constant 2 (p = 0), coordinates 1 and 3 have t = 2 with
    // 1 df (p = 1 − (2/π)·atan 2 ≈ 0.295); BH at 0.05 rejects only the first: 1/3.
    let f = try FilterMatrix(rowArrays: [[1, 2, 3], [3, 2, 1]])
    let report = try CWDABattery.run(filters: f, directions: [[1, 0, 0]])
    #expect(report.constantCoordinates == 1)
    #expect(statsClose(report.sphericity, 2, 1e-14))
    #expect(statsClose(report.offDiagonalRatio, 0.5, 1e-14))
    #expect(statsClose(report.normalizedMeanNorm, (3.0).squareRoot(), 1e-14))
    #expect(statsClose(report.meanRejectedFraction, 1.0 / 3.0, 1e-15))
    #expect(report.shapiroWilkNotRejectedFraction == nil)  // N = 2 < 3
    #expect(report.projectionNotRejectedFraction == nil)
    #expect(report.sphericityUnderCWDA == 4)
  }

  @Test func moreFiltersThanDimensionsByHand() throws {
    // F = [[1,0],[−1,0],[0,2]]: S = diag(1, 4/3) (S12 = 0): tr S = 7/3, tr S² = 25/9,
    // U = 2·(25/9)/(49/9) − 1 = 1/49; off-diagonal ratio 0.
    let f = try FilterMatrix(rowArrays: [[1, 0], [-1, 0], [0, 2]])
    let report = try CWDABattery.run(filters: f, directions: [])
    #expect(statsClose(report.sphericity, 1.0 / 49.0, 1e-14))
    #expect(report.offDiagonalRatio == 0)
    #expect(report.projectionsTested == 0)
  }

  @Test func gaussianFiltersPassTheBattery() throws {
    let n = 64
    let k = 576
    let f = try FilterMatrix(
      rows: n, cols: k,
      storage: TestGenerator.normals(seed: 2024, count: n * k).map { 0.03 * $0 })
    var directionSource = TestGenerator(seed: 77)
    let report = try CWDABattery.run(filters: f, projectionCount: 100) {
      directionSource.normal()
    }
    #expect(report.projectionsTested == 100)
    #expect(report.shapiroWilkCoordinatesTested == k)
    #expect(try #require(report.shapiroWilkNotRejectedFraction) >= 0.85)
    #expect(try #require(report.projectionNotRejectedFraction) >= 0.85)
    #expect(try #require(report.pooledShapiroWilk).pValue > 0.001)
    #expect(report.pooledShapiroWilkSamples == 5000)
    #expect(try #require(report.pooledDAgostino).pValue > 0.001)
    #expect(report.meanRejectedFraction <= 0.05)
    // Sampling-noise levels agree with their CWDA values.
    #expect(statsRelClose(report.normalizedMeanNorm, report.normalizedMeanNormUnderCWDA, 0.2))
    #expect(statsRelClose(report.offDiagonalRatio, report.offDiagonalRatioUnderCWDA, 0.2))
    #expect(statsRelClose(report.sphericity, report.sphericityUnderCWDA, 0.1))
    // The report survives a JSON round trip (no NaN or infinity inside).
    let data = try JSONEncoder().encode(report)
    #expect(try JSONDecoder().decode(CWDAReport.self, from: data) == report)
  }

  @Test func skewedFiltersAreRejected() throws {
    // i.i.d. Exp(1) weights: skewed, and with mean 1 instead of 0.
    let n = 64
    let k = 576
    let f = try FilterMatrix(
      rows: n, cols: k, storage: TestGenerator.exponentials(seed: 31, count: n * k))
    var directionSource = TestGenerator(seed: 78)
    let directions = CWDABattery.randomDirections(count: 100, dimension: k) {
      directionSource.normal()
    }
    let report = try CWDABattery.run(filters: f, directions: directions)
    #expect(try #require(report.shapiroWilkNotRejectedFraction) <= 0.1)
    #expect(try #require(report.pooledShapiroWilk).pValue < 1e-6)
    #expect(try #require(report.pooledDAgostino).pValue < 1e-6)
    #expect(report.meanRejectedFraction >= 0.95)
    // Projections onto random directions sum 576 independent terms and are nearly Gaussian by
    // the central limit theorem, so the KS family cannot see this skew (not asserted).
  }

  @Test func constantCoordinatesAndCapsAreHandled() throws {
    // Coordinate 0 is always 0 (e.g. a removed input channel): its t-test counts as p = 1, it
    // gets no Shapiro–Wilk test.
    var g = TestGenerator(seed: 3)
    let rows = (0..<12).map { _ in [0.0] + (0..<9).map { _ in g.normal() } }
    let f = try FilterMatrix(rowArrays: rows)
    let report = try CWDABattery.run(
      filters: f, directions: [],
      options: CWDAOptions(maxCovarianceCoordinates: 4, maxShapiroWilkCoordinates: 5))
    #expect(report.constantCoordinates == 1)
    #expect(report.covarianceCoordinates == 4)
    // Evenly spaced 5 of 10 coordinates: 0, 2, 4, 6, 8; coordinate 0 is constant.
    #expect(CWDABattery.evenlySpaced(count: 5, from: 10) == [0, 2, 4, 6, 8])
    #expect(report.shapiroWilkCoordinatesTested == 4)
  }

  @Test func invalidInputsThrow() throws {
    let identical = try FilterMatrix(rowArrays: [[1, 2], [1, 2], [1, 2]])
    #expect(
      throws: StatisticsError.constantInput(what: "CWDA battery (all filters identical)")
    ) { try CWDABattery.run(filters: identical, directions: []) }
    let f = try FilterMatrix(rowArrays: [[1, 2], [3, 5], [0, 1]])
    #expect(throws: StatisticsError.self) { try CWDABattery.run(filters: f, directions: [[1]]) }
    #expect(throws: StatisticsError.self) {
      try CWDABattery.run(filters: f, directions: [[0, 0]])
    }
    let single = try FilterMatrix(rowArrays: [[1, 2]])
    #expect(throws: StatisticsError.self) { try CWDABattery.run(filters: single, directions: []) }
  }
}
