import Statistics
import TestSupport
import Testing

@testable import Pruning

@Suite("Weight criteria: l1, l2, fpgm, fermat")
struct WeightCriteriaTests {
  /// Filters (0,0), (3,4), (0,4): pairwise distances d01 = 5, d02 = 4, d12 = 3.
  static let triangle = try! FilterMatrix(rows: 3, cols: 2, values: [0, 0, 3, 4, 0, 4] as [Float])

  @Test func normsByHand() {
    #expect(WeightCriteria.l1(Self.triangle) == [0, 7, 4])
    #expect(WeightCriteria.l2(Self.triangle) == [0, 5, 4])
    let signed = try! FilterMatrix(rowArrays: [[-1.5, 2, -0.5]])
    #expect(WeightCriteria.l1(signed) == [4])
    #expect(statsClose(WeightCriteria.l2(signed)[0], (2.25 + 4 + 0.25).squareRoot(), 1e-15))
  }

  @Test func fpgmByHand() {
    // g0 = d01 + d02 = 9, g1 = d01 + d12 = 8, g2 = d02 + d12 = 7.
    #expect(WeightCriteria.fpgm(Self.triangle) == [9, 8, 7])
  }

  @Test func fermatOfCollinearPointsIsTheMiddlePoint() throws {
    // Median of 0, 1, 5 on a line is 1: scores |0−1|, |1−1|, |5−1|.
    let f = try FilterMatrix(rowArrays: [[0, 0], [1, 0], [5, 0]])
    let result = try WeightCriteria.fermat(f)
    #expect(result.median.point == [1, 0])
    #expect(result.scores == [1, 0, 4])
    #expect(result.median.objective == 5)
    // Symmetric case: the start (the mean) is the data point (1, 0) itself, so the Vardi–Zhang
    // optimality test (r = 0 ≤ η = 1) stops at once.
    let symmetric = try GeometricMedian.weiszfeld(
      try FilterMatrix(rowArrays: [[0, 0], [1, 0], [2, 0]]))
    #expect(symmetric.point == [1, 0])
    #expect(symmetric.iterations == 0)
    #expect(symmetric.converged)
  }

  @Test func fermatOfEquilateralTriangleIsTheCentroid() throws {
    // Side 2: vertices (0,0), (2,0), (1,√3); centroid (1, √3/3); circumradius 2/√3.
    let s3 = (3.0).squareRoot()
    let f = try FilterMatrix(rowArrays: [[0, 0], [2, 0], [1, s3]])
    let result = try WeightCriteria.fermat(f)
    #expect(statsClose(result.median.point[0], 1, 1e-12))
    #expect(statsClose(result.median.point[1], s3 / 3, 1e-12))
    for score in result.scores { #expect(statsClose(score, 2 / s3, 1e-12)) }
  }

  @Test func fermatAtAnObtuseVertexIsThatVertex() throws {
    // The angle at the origin exceeds 120°, so the median is the origin (Fermat point theory);
    // the iterates only approach it, and the final snap makes it exact.
    let f = try FilterMatrix(rowArrays: [[0, 0], [10, 0], [-10, 0.1]])
    let result = try GeometricMedian.weiszfeld(f)
    #expect(result.point == [0, 0])
  }

  @Test func fermatSatisfiesTheOptimalityCondition() throws {
    // At an interior median y, Σ_j (F_j − y)/‖F_j − y‖ = 0 (the objective's gradient).
    var g = TestGenerator(seed: 5)
    let rows = (0..<10).map { _ in (0..<3).map { _ in g.normal() } }
    let f = try FilterMatrix(rowArrays: rows)
    let median = try GeometricMedian.weiszfeld(f, tolerance: 1e-13, maxIterations: 2000)
    #expect(median.converged)
    var gradient = [0.0, 0.0, 0.0]
    for row in rows {
      let diff = zip(row, median.point).map { $0 - $1 }
      let norm = diff.reduce(0) { $0 + $1 * $1 }.squareRoot()
      for j in 0..<3 { gradient[j] += diff[j] / norm }
    }
    #expect(gradient.reduce(0) { $0 + $1 * $1 }.squareRoot() < 1e-8)
  }

  @Test func zeroAndDuplicateFiltersGiveNoNaN() throws {
    let f = try FilterMatrix(rows: 3, cols: 3, values: [0, 0, 0, 0, 0, 0, 1, 2, 2] as [Float])
    #expect(WeightCriteria.l1(f) == [0, 0, 5])
    #expect(WeightCriteria.l2(f) == [0, 0, 3])
    // d(0,1) = 0, d(0,2) = d(1,2) = 3.
    #expect(WeightCriteria.fpgm(f) == [3, 3, 6])
    // Two of three points coincide at 0, so 0 is the median (weight 2 ≥ 1).
    let fermat = try WeightCriteria.fermat(f)
    #expect(fermat.median.point == [0, 0, 0])
    #expect(fermat.scores == [0, 0, 3])

    let identical = try FilterMatrix(rowArrays: [[0.5, -1], [0.5, -1], [0.5, -1]])
    #expect(WeightCriteria.fpgm(identical) == [0, 0, 0])
    let same = try WeightCriteria.fermat(identical)
    #expect(same.scores == [0, 0, 0])
    #expect(same.median.iterations == 0)

    let zeros = try FilterMatrix(rows: 4, cols: 5, storage: [Double](repeating: 0, count: 20))
    #expect(WeightCriteria.l1(zeros) == [0, 0, 0, 0])
    #expect(WeightCriteria.l2(zeros) == [0, 0, 0, 0])
    #expect(WeightCriteria.fpgm(zeros) == [0, 0, 0, 0])
    #expect(try WeightCriteria.fermat(zeros).scores == [0, 0, 0, 0])
  }

  @Test func invalidInputsThrow() throws {
    #expect(throws: StatisticsError.shapeMismatch(rows: 2, cols: 2, storageCount: 3)) {
      try FilterMatrix(rows: 2, cols: 2, storage: [1, 2, 3])
    }
    let empty = try FilterMatrix(rows: 0, cols: 3, storage: [])
    #expect(WeightCriteria.fpgm(empty) == [])
    #expect(throws: StatisticsError.self) { try WeightCriteria.fermat(empty) }
    #expect(throws: StatisticsError.self) {
      try WeightCriteria.fermat(Self.triangle, tolerance: 0)
    }
  }

  /// The CWDA consequences of ALGORITHMS.md §2.4 on i.i.d. Gaussian filters (64 × 576):
  /// FPGM and Fermat rank like ℓ2, and the ℓ2 scores' CV is about 1/sqrt(2k).
  @Test func cwdaSimilarityAndConcentrationOnGaussianFilters() throws {
    let n = 64
    let k = 576
    var cvs: [Double] = []
    for layer in 0..<4 {
      let f = try FilterMatrix(
        rows: n, cols: k,
        storage: TestGenerator.normals(seed: 1000 + UInt64(layer), count: n * k).map {
          0.05 * $0
        })
      let l2 = WeightCriteria.l2(f)
      let fpgm = WeightCriteria.fpgm(f)
      let fermat = try WeightCriteria.fermat(f).scores
      #expect(try Correlation.spearman(l2, fpgm).coefficient >= 0.95)
      #expect(try Correlation.spearman(l2, fermat).coefficient >= 0.95)
      let cv = try Applicability.coefficientOfVariation(l2)
      // A CV estimated from 64 scores has a relative standard error of about 1/sqrt(2·63) ≈ 9%,
      // so one layer is only checked within 25% (≈ 3 standard errors) ...
      #expect(statsRelClose(cv, Applicability.cwdaPrediction(dimension: k), 0.25))
      cvs.append(cv)
    }
    // ... and the mean over four layers (standard error ≈ 4.5%) within 10%.
    let meanCV = cvs.reduce(0, +) / Double(cvs.count)
    #expect(statsRelClose(meanCV, 1 / (2.0 * Double(k)).squareRoot(), 0.10))
  }
}
