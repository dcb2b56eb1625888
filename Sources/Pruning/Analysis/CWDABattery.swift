import Foundation
import Statistics

/// The statistical test battery for the Convolutional Weight Distribution Assumption (CWDA) of
/// "Rethinking the Pruning Criteria for CNNs" (Huang et al., NeurIPS 2021; ALGORITHMS.md §2.5):
/// the `N` filters of a layer, points in `R^k`, are approximately i.i.d. `N(0, σ²I_k)`.
///
/// The battery is deterministic: coordinate subsets are evenly spaced, and the random projection
/// directions are an input (draw them from the session's generator, or use
/// `randomDirections(count:dimension:normal:)` with a caller-supplied normal source).
///
/// ```swift
/// var rng = SeededRNG(seed: 7)
/// let report = try CWDABattery.run(filters: layer, projectionCount: 100) { rng.nextNormal() }
/// report.shapiroWilkNotRejectedFraction  // ≈ 0.95 for Gaussian filters
/// ```
public enum CWDABattery {
  /// Runs every test of the battery on the `N × k` filter matrix `filters`.
  ///
  /// 1. **Mean ≈ 0**: a one-sample t-test per coordinate (N values each), Benjamini–Hochberg at
  ///    `options.fdrLevel`; a constant coordinate counts as p = 1 when it is exactly 0 and p = 0
  ///    otherwise. Also `‖x̄‖₂/(σ̂√k)` with `σ̂² = tr(S)/k`.
  /// 2. **Near-diagonal covariance**: mean |off-diagonal| / mean diagonal of the sample
  ///    covariance `S` (divisor N − 1) on at most `options.maxCovarianceCoordinates` evenly
  ///    spaced coordinates (0 when fewer than 2 coordinates or all of them are constant), and
  ///    the sphericity `U = k·tr(S²)/(tr S)² − 1` on all coordinates, computed through the
  ///    smaller of the `N × N` and `k × k` Gram matrices.
  /// 3. **Normality** at level `options.alpha`: Shapiro–Wilk on every non-constant coordinate
  ///    (or on `options.maxShapiroWilkCoordinates` evenly spaced ones; only when
  ///    `3 ≤ N ≤ 5000`); Shapiro–Wilk on the pooled weights standardised by the layer's overall
  ///    mean and sample deviation (at most `options.maxPooledShapiroWilkSamples` ≤ 5000 evenly
  ///    spaced weights); D'Agostino–Pearson K² on all pooled weights (when `N·k ≥ 8`); and
  ///    Kolmogorov–Smirnov against N(0, 1) of each projection `vᵀF_i` (v = a direction scaled
  ///    to unit length) standardised by its own sample mean and deviation (when `N ≥ 3`;
  ///    projections with zero spread are skipped).
  ///
  /// - Parameters:
  ///   - filters: the layer's weights, one filter per row.
  ///   - directions: projection directions, each of length `k` and non-zero (ALGORITHMS.md
  ///     asks for ≥ 100); they are normalised here.
  ///   - options: levels and caps.
  /// - Throws: `StatisticsError` for fewer than 2 filters, `k = 0`, non-finite weights, a layer
  ///   whose filters are all identical, a direction of the wrong length or zero length, or
  ///   levels outside (0, 1).
  public static func run(
    filters: FilterMatrix, directions: [[Double]], options: CWDAOptions = CWDAOptions()
  ) throws(StatisticsError) -> CWDAReport {
    let n = filters.rows
    let k = filters.cols
    guard n >= 2 else { throw .tooFewValues(what: "CWDA battery (filters)", minimum: 2, actual: n) }
    guard k >= 1 else {
      throw .tooFewValues(what: "CWDA battery (filter dimension)", minimum: 1, actual: k)
    }
    try DoubleKernels.requireFinite(filters.storage, "CWDA battery weights")
    for (what, level) in [("alpha", options.alpha), ("FDR level", options.fdrLevel)]
    where !(level > 0 && level < 1) {
      throw .invalidParameter(what: "CWDA \(what)", value: level, expected: "0 < level < 1")
    }
    for direction in directions where direction.count != k {
      throw .lengthMismatch(
        what: "CWDA projection direction vs filter dimension", first: direction.count, second: k)
    }

    let columnMeans = Self.columnMeans(filters)
    let centred = Self.centred(filters, columnMeans)
    let columnVariances = Self.columnSumsOfSquares(centred, rows: n, cols: k).map {
      $0 / Double(n - 1)
    }
    let traceS = columnVariances.reduce(0, +)
    guard traceS > 0 else { throw .constantInput(what: "CWDA battery (all filters identical)") }
    let constantCoordinates = columnVariances.filter { $0 == 0 }.count

    // 1. Mean ≈ 0.
    var pValues = [Double](repeating: 1, count: k)
    for j in 0..<k {
      if columnVariances[j] == 0 {
        pValues[j] = columnMeans[j] == 0 ? 1 : 0
      } else {
        let t = columnMeans[j] / (columnVariances[j] / Double(n)).squareRoot()
        pValues[j] = try StudentTDistribution.twoSidedPValue(t, degreesOfFreedom: Double(n - 1))
      }
    }
    let rejected = try BenjaminiHochberg.rejections(pValues: pValues, q: options.fdrLevel)
    let meanRejectedFraction = Double(rejected.filter { $0 }.count) / Double(k)
    let meanNormSquared = columnMeans.reduce(0) { $0 + $1 * $1 }
    let normalizedMeanNorm = (meanNormSquared / traceS).squareRoot()

    // 2. Covariance.
    let covarianceIndices = evenlySpaced(count: min(k, options.maxCovarianceCoordinates), from: k)
    let offDiagonalRatio = Self.offDiagonalRatio(
      centred, rows: n, cols: k, indices: covarianceIndices, variances: columnVariances)
    let traceS2 = Self.traceOfSquare(centred, rows: n, cols: k) / Double((n - 1) * (n - 1))
    let sphericity = Double(k) * traceS2 / (traceS * traceS) - 1

    // 3a. Shapiro–Wilk per coordinate.
    var swTested = 0
    var swNotRejected = 0
    if n >= ShapiroWilk.minimumSampleSize && n <= ShapiroWilk.maximumSampleSize {
      let sw = try ShapiroWilk(sampleSize: n)
      let indices =
        options.maxShapiroWilkCoordinates.map { evenlySpaced(count: min(k, $0), from: k) }
        ?? Array(0..<k)
      for j in indices where columnVariances[j] > 0 {
        let result = try sw.evaluate(filters.column(j))
        swTested += 1
        if !result.rejects(at: options.alpha) { swNotRejected += 1 }
      }
    }

    // 3b. Pooled standardised weights.
    let all = filters.storage
    let overallMean = Descriptive.mean(all)
    let overallSD = Descriptive.sampleStandardDeviation(all)
    let standardized = all.map { ($0 - overallMean) / overallSD }
    let pooledCount = min(
      standardized.count, options.maxPooledShapiroWilkSamples, ShapiroWilk.maximumSampleSize)
    var pooledSW: HypothesisTestResult? = nil
    if pooledCount >= ShapiroWilk.minimumSampleSize {
      let sample = evenlySpaced(count: pooledCount, from: standardized.count).map {
        standardized[$0]
      }
      // An evenly spaced subsample can be constant even when the layer is not.
      if sample.contains(where: { $0 != sample[0] }) {
        pooledSW = try ShapiroWilk.test(sample)
      }
    }
    var pooledK2: HypothesisTestResult? = nil
    if standardized.count >= DAgostinoPearson.minimumSampleSize {
      pooledK2 = try DAgostinoPearson.test(standardized).test
    }

    // 3c. Kolmogorov–Smirnov on standardised random projections.
    var ksTested = 0
    var ksNotRejected = 0
    if n >= 3 {
      for direction in directions {
        let norm = direction.reduce(0) { $0 + $1 * $1 }.squareRoot()
        guard norm > 0, norm.isFinite else {
          throw .invalidParameter(
            what: "CWDA projection direction norm", value: norm, expected: "a finite value > 0")
        }
        let projection = Self.project(filters, direction, scale: 1 / norm)
        let sd = Descriptive.sampleStandardDeviation(projection)
        guard sd > 0 else { continue }
        let m = Descriptive.mean(projection)
        let result = try KolmogorovSmirnov.testNormal(projection.map { ($0 - m) / sd })
        ksTested += 1
        if !result.rejects(at: options.alpha) { ksNotRejected += 1 }
      }
    }

    return CWDAReport(
      filters: n, dimension: k, constantCoordinates: constantCoordinates,
      meanRejectedFraction: meanRejectedFraction,
      normalizedMeanNorm: normalizedMeanNorm,
      normalizedMeanNormUnderCWDA: 1 / Double(n).squareRoot(),
      covarianceCoordinates: covarianceIndices.count,
      offDiagonalRatio: offDiagonalRatio,
      offDiagonalRatioUnderCWDA: (2 / (Double.pi * Double(n - 1))).squareRoot(),
      sphericity: sphericity,
      sphericityUnderCWDA: Double(k + 1) / Double(n - 1),
      shapiroWilkCoordinatesTested: swTested,
      shapiroWilkNotRejectedFraction: swTested > 0 ? Double(swNotRejected) / Double(swTested) : nil,
      pooledShapiroWilk: pooledSW,
      pooledShapiroWilkSamples: pooledSW == nil ? 0 : pooledCount,
      pooledDAgostino: pooledK2,
      projectionsTested: ksTested,
      projectionNotRejectedFraction: ksTested > 0 ? Double(ksNotRejected) / Double(ksTested) : nil
    )
  }

  /// Runs the battery with `projectionCount` directions drawn from `normal`, a source of
  /// standard-normal draws (e.g. `{ rng.nextNormal() }`); see `run(filters:directions:options:)`.
  /// - Throws: as `run(filters:directions:options:)`.
  public static func run(
    filters: FilterMatrix, projectionCount: Int = 100, options: CWDAOptions = CWDAOptions(),
    normal: () -> Double
  ) throws(StatisticsError) -> CWDAReport {
    let directions = randomDirections(
      count: projectionCount, dimension: filters.cols, normal: normal)
    return try run(filters: filters, directions: directions, options: options)
  }

  /// `count` directions in `R^dimension` uniformly distributed on the unit sphere: vectors of
  /// i.i.d. draws from `normal` (row by row), scaled to unit length. A draw of all zeros (which
  /// a real normal source never produces) is left as is.
  static func randomDirections(
    count: Int, dimension: Int, normal: () -> Double
  ) -> [[Double]] {
    (0..<max(0, count)).map { _ in
      let v = (0..<max(0, dimension)).map { _ in normal() }
      let norm = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
      return norm > 0 ? v.map { $0 / norm } : v
    }
  }

  /// `count` evenly spaced indices of `0..<total`: `⌊t·total/count⌋` for `t = 0..<count`
  /// (distinct when `count ≤ total`; all of `0..<total` when `count ≥ total`).
  static func evenlySpaced(count: Int, from total: Int) -> [Int] {
    guard count > 0, total > 0 else { return [] }
    guard count < total else { return Array(0..<total) }
    return (0..<count).map { $0 * total / count }
  }

  // MARK: - Kernels

  private static func columnMeans(_ f: FilterMatrix) -> [Double] {
    var sums = [Double](repeating: 0, count: f.cols)
    f.storage.withUnsafeBufferPointer { x in
      for i in 0..<f.rows {
        for j in 0..<f.cols { sums[j] += x[i * f.cols + j] }
      }
    }
    return sums.map { $0 / Double(f.rows) }
  }

  private static func centred(_ f: FilterMatrix, _ means: [Double]) -> [Double] {
    var c = f.storage
    for i in 0..<f.rows {
      for j in 0..<f.cols { c[i * f.cols + j] -= means[j] }
    }
    return c
  }

  private static func columnSumsOfSquares(_ c: [Double], rows: Int, cols: Int) -> [Double] {
    var sums = [Double](repeating: 0, count: cols)
    c.withUnsafeBufferPointer { x in
      for i in 0..<rows {
        for j in 0..<cols { sums[j] += x[i * cols + j] * x[i * cols + j] }
      }
    }
    return sums
  }

  /// Mean |S_ab| (a ≠ b) / mean S_aa over the coordinates `indices`.
  private static func offDiagonalRatio(
    _ c: [Double], rows n: Int, cols k: Int, indices: [Int], variances: [Double]
  ) -> Double {
    let count = indices.count
    guard count >= 2 else { return 0 }
    let meanDiagonal = indices.reduce(0) { $0 + variances[$1] } / Double(count)
    guard meanDiagonal > 0 else { return 0 }
    // Gather the chosen columns contiguously (column-major) so each pair is a dot product.
    var columns = [Double](repeating: 0, count: count * n)
    for (t, j) in indices.enumerated() {
      for i in 0..<n { columns[t * n + i] = c[i * k + j] }
    }
    var sumAbs = 0.0
    columns.withUnsafeBufferPointer { p in
      for a in 0..<count {
        for b in (a + 1)..<count {
          sumAbs += abs(DoubleKernels.dot(p.baseAddress! + a * n, p.baseAddress! + b * n, n))
        }
      }
    }
    let meanOffDiagonal = sumAbs / Double(n - 1) / Double(count * (count - 1) / 2)
    return meanOffDiagonal / meanDiagonal
  }

  /// `‖CᵀC‖²_F = ‖CCᵀ‖²_F` for the centred `n × k` matrix `C`, through the smaller Gram matrix.
  private static func traceOfSquare(_ c: [Double], rows n: Int, cols k: Int) -> Double {
    var sum = 0.0
    if n <= k {
      c.withUnsafeBufferPointer { p in
        for a in 0..<n {
          for b in a..<n {
            let g = DoubleKernels.dot(p.baseAddress! + a * k, p.baseAddress! + b * k, k)
            sum += (a == b ? 1 : 2) * g * g
          }
        }
      }
    } else {
      var columns = [Double](repeating: 0, count: k * n)
      for i in 0..<n {
        for j in 0..<k { columns[j * n + i] = c[i * k + j] }
      }
      columns.withUnsafeBufferPointer { p in
        for a in 0..<k {
          for b in a..<k {
            let g = DoubleKernels.dot(p.baseAddress! + a * n, p.baseAddress! + b * n, n)
            sum += (a == b ? 1 : 2) * g * g
          }
        }
      }
    }
    return sum
  }

  private static func project(_ f: FilterMatrix, _ v: [Double], scale: Double) -> [Double] {
    f.storage.withUnsafeBufferPointer { x in
      v.withUnsafeBufferPointer { d in
        (0..<f.rows).map { i in
          DoubleKernels.dot(x.baseAddress! + i * f.cols, d.baseAddress!, f.cols) * scale
        }
      }
    }
  }
}
