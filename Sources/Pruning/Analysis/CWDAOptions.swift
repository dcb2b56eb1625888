import Statistics

/// Settings of the CWDA test battery (`CWDABattery`); the defaults follow ALGORITHMS.md §2.5.
public struct CWDAOptions: Sendable, Equatable, Codable {
  /// Significance level of each normality test (Shapiro–Wilk, K², KS). Default 0.05.
  public var alpha: Double
  /// False-discovery-rate level of the Benjamini–Hochberg step over the per-coordinate mean
  /// t-tests. Default 0.05.
  public var fdrLevel: Double
  /// At most this many coordinates (evenly spaced, see `CWDABattery.evenlySpaced`) enter the
  /// off-diagonal covariance ratio, which costs `O(N·c²)`. Default 128.
  public var maxCovarianceCoordinates: Int
  /// At most this many coordinates (evenly spaced) get a per-coordinate Shapiro–Wilk test;
  /// `nil` tests every coordinate. Default `nil`.
  public var maxShapiroWilkCoordinates: Int?
  /// The pooled Shapiro–Wilk test uses at most this many weights (evenly spaced in row-major
  /// order); capped at 5000, the algorithm's limit. Default 5000.
  public var maxPooledShapiroWilkSamples: Int

  /// Creates options; every argument has the documented default.
  public init(
    alpha: Double = 0.05, fdrLevel: Double = 0.05, maxCovarianceCoordinates: Int = 128,
    maxShapiroWilkCoordinates: Int? = nil, maxPooledShapiroWilkSamples: Int = 5000
  ) {
    self.alpha = alpha
    self.fdrLevel = fdrLevel
    self.maxCovarianceCoordinates = maxCovarianceCoordinates
    self.maxShapiroWilkCoordinates = maxShapiroWilkCoordinates
    self.maxPooledShapiroWilkSamples = maxPooledShapiroWilkSamples
  }
}
