/// The outcome of a hypothesis test: its statistic and p-value.
public struct HypothesisTestResult: Sendable, Equatable, Codable {
  /// The test statistic (t, W, K², D, … — see the test that produced it).
  public internal(set) var statistic: Double
  /// The p-value under the null hypothesis.
  public internal(set) var pValue: Double

  /// Creates a result.
  public init(statistic: Double, pValue: Double) {
    self.statistic = statistic
    self.pValue = pValue
  }

  /// Whether the null hypothesis is rejected at level `alpha` (`pValue < alpha`).
  public func rejects(at alpha: Double) -> Bool { pValue < alpha }
}
