import Statistics

/// The CWDA test battery's findings for one layer (ALGORITHMS.md §2.5), each next to the value
/// expected when the Convolutional Weight Distribution Assumption holds exactly
/// (filters i.i.d. `N(0, σ²I_k)`).
///
/// Fractions are `nil` when no test of that family could be run (e.g. fewer than 3 filters).
public struct CWDAReport: Sendable, Equatable, Codable {
  /// Number of filters `N`.
  public var filters: Int
  /// Filter dimension `k`.
  public var dimension: Int
  /// Coordinates whose `N` values are all equal (their t-test and Shapiro–Wilk test are not
  /// run; see `CWDABattery.run`).
  public var constantCoordinates: Int

  /// Fraction of the `k` per-coordinate one-sample t-tests (H₀: mean 0) rejected by
  /// Benjamini–Hochberg at the FDR level (≈ 0 under CWDA).
  public var meanRejectedFraction: Double
  /// `‖x̄‖₂ / (σ̂·√k)`, with `x̄` the mean filter and `σ̂² = tr(S)/k` the average per-coordinate
  /// sample variance.
  public var normalizedMeanNorm: Double
  /// Its approximate value under CWDA, `1/√N` (sampling noise of the mean).
  public var normalizedMeanNormUnderCWDA: Double

  /// Number of coordinates used for the off-diagonal ratio.
  public var covarianceCoordinates: Int
  /// Mean |off-diagonal| / mean diagonal of the sample covariance on those coordinates.
  public var offDiagonalRatio: Double
  /// Its approximate value under CWDA, `sqrt(2/(π(N−1)))` (sampling noise of a covariance).
  public var offDiagonalRatioUnderCWDA: Double
  /// Sphericity `U = k·tr(S²)/(tr S)² − 1` of the full sample covariance `S` (0 for a
  /// perfectly spherical sample covariance; John 1971).
  public var sphericity: Double
  /// Its approximate expectation under CWDA, `(k + 1)/(N − 1)` (Wishart moments; it is not 0
  /// because `S` is estimated from `N` filters).
  public var sphericityUnderCWDA: Double

  /// Coordinates that got a Shapiro–Wilk test.
  public var shapiroWilkCoordinatesTested: Int
  /// Fraction of those not rejected at α (≈ 1 − α under CWDA).
  public var shapiroWilkNotRejectedFraction: Double?
  /// Shapiro–Wilk on the pooled weights, standardised by the layer's overall mean and standard
  /// deviation.
  public var pooledShapiroWilk: HypothesisTestResult?
  /// Number of pooled weights the Shapiro–Wilk test used.
  public var pooledShapiroWilkSamples: Int
  /// D'Agostino–Pearson K² on all pooled weights.
  public var pooledDAgostino: HypothesisTestResult?
  /// Number of random projection directions tested with Kolmogorov–Smirnov.
  public var projectionsTested: Int
  /// Fraction of projection KS tests not rejected at α (≥ 1 − α under CWDA: conservative,
  /// because each projection is standardised with its own estimated mean and deviation).
  public var projectionNotRejectedFraction: Double?
}
