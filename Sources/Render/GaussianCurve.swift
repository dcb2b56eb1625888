import Foundation

/// A normal distribution given by the caller (mean and standard deviation), drawn over a
/// histogram as the counts it predicts.
public struct GaussianCurve: Sendable, Equatable {
  /// The mean μ.
  public var mean: Double
  /// The standard deviation σ (> 0 to be drawn).
  public internal(set) var standardDeviation: Double

  /// Creates a curve from a mean and a standard deviation.
  public init(mean: Double, standardDeviation: Double) {
    self.mean = mean
    self.standardDeviation = standardDeviation
  }

  /// Whether the curve can be drawn (finite mean, finite positive σ).
  var isDrawable: Bool {
    mean.isFinite && standardDeviation.isFinite && standardDeviation > 0
  }

  /// The probability density at `x`.
  func density(_ x: Double) -> Double {
    guard isDrawable else { return .nan }
    let z = (x - mean) / standardDeviation
    return exp(-0.5 * z * z) / (standardDeviation * (2 * Double.pi).squareRoot())
  }

  /// The probability of a value at most `x`.
  func cumulative(_ x: Double) -> Double {
    guard isDrawable else { return .nan }
    return 0.5 * (1 + erf((x - mean) / (standardDeviation * 2.0.squareRoot())))
  }
}
