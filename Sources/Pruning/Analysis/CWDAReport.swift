import Statistics

/// The CWDA test battery's findings for one layer (ALGORITHMS.md §2.5), each next to the value
/// expected when the Convolutional Weight Distribution Assumption holds exactly
/// (filters i.i.d. `N(0, σ²I_k)`).
///
/// Fractions are `nil` when no test of that family could be run (e.g. fewer than 3 filters).
public struct CWDAReport: Sendable, Equatable, Codable {
  /// Number of filters `N`.
  public internal(set) var filters: Int
  /// Filter dimension `k`.
  public internal(set) var dimension: Int
  /// Coordinates whose `N` values are all equal (their t-test and Shapiro–Wilk test are not
  /// run; see `CWDABattery.run`).
  public internal(set) var constantCoordinates: Int

  /// Fraction of the `k` per-coordinate one-sample t-tests (H₀: mean 0) rejected by
  /// Benjamini–Hochberg at the FDR level (≈ 0 under CWDA).
  public internal(set) var meanRejectedFraction: Double
  /// `‖x̄‖₂ / (σ̂·√k)`, with `x̄` the mean filter and `σ̂² = tr(S)/k` the average per-coordinate
  /// sample variance.
  public internal(set) var normalizedMeanNorm: Double
  /// Its approximate value under CWDA, `1/√N` (sampling noise of the mean).
  public internal(set) var normalizedMeanNormUnderCWDA: Double

  /// Number of coordinates used for the off-diagonal ratio.
  var covarianceCoordinates: Int
  /// Mean |off-diagonal| / mean diagonal of the sample covariance on those coordinates.
  public internal(set) var offDiagonalRatio: Double
  /// Its approximate value under CWDA, `sqrt(2/(π(N−1)))` (sampling noise of a covariance).
  public internal(set) var offDiagonalRatioUnderCWDA: Double
  /// Sphericity `U = k·tr(S²)/(tr S)² − 1` of the full sample covariance `S` (0 for a
  /// perfectly spherical sample covariance; John 1971).
  public internal(set) var sphericity: Double
  /// Its approximate expectation under CWDA, `(k + 1)/(N − 1)` (Wishart moments; it is not 0
  /// because `S` is estimated from `N` filters).
  public internal(set) var sphericityUnderCWDA: Double

  /// Coordinates that got a Shapiro–Wilk test.
  public internal(set) var shapiroWilkCoordinatesTested: Int
  /// Fraction of those not rejected at α (≈ 1 − α under CWDA).
  public internal(set) var shapiroWilkNotRejectedFraction: Double?
  /// Shapiro–Wilk on the pooled weights, standardised by the layer's overall mean and standard
  /// deviation.
  public internal(set) var pooledShapiroWilk: HypothesisTestResult?
  /// Number of pooled weights the Shapiro–Wilk test used.
  var pooledShapiroWilkSamples: Int
  /// D'Agostino–Pearson K² on all pooled weights.
  public internal(set) var pooledDAgostino: HypothesisTestResult?
  /// Number of random projection directions tested with Kolmogorov–Smirnov.
  public internal(set) var projectionsTested: Int
  /// Fraction of projection KS tests not rejected at α (≥ 1 − α under CWDA: conservative,
  /// because each projection is standardised with its own estimated mean and deviation).
  public internal(set) var projectionNotRejectedFraction: Double?
}
