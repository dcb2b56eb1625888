import Statistics

/// How well a criterion's scores separate filters (ALGORITHMS.md §2.4, "Applicability").
///
/// Under CWDA, `‖F‖₂²/σ² ~ χ²_k`, so the ℓ2 scores of a layer have a coefficient of variation
/// of about `1/sqrt(2k)`: in a wide layer the scores lie in a narrow band, and which filters
/// fall below the threshold is decided by small fluctuations.
public enum Applicability {
  /// The coefficient of variation `s/|x̄|` of a score vector, with the **sample** standard
  /// deviation `s` (divisor n − 1), so that it estimates the distribution's CV that the CWDA
  /// prediction `1/sqrt(2k)` refers to.
  /// - Throws: `StatisticsError` for fewer than 2 scores, non-finite scores or a zero mean.
  public static func coefficientOfVariation(_ scores: [Double]) throws(StatisticsError)
    -> Double
  {
    guard scores.count >= 2 else {
      throw .tooFewValues(what: "coefficient of variation", minimum: 2, actual: scores.count)
    }
    try DoubleKernels.requireFinite(scores, "coefficient of variation")
    let mean = Descriptive.mean(scores)
    guard mean != 0 else {
      throw .invalidParameter(
        what: "coefficient of variation: mean of the scores", value: mean,
        expected: "a non-zero mean")
    }
    return Descriptive.sampleStandardDeviation(scores) / abs(mean)
  }

  /// The CWDA prediction `1/sqrt(2k)` of the ℓ2 scores' coefficient of variation for filters of
  /// dimension `k`.
  public static func cwdaPrediction(dimension k: Int) -> Double {
    1 / (2 * Double(k)).squareRoot()
  }

  /// The relative gap at the pruning threshold, `(s_(m) − s_(m+1)) / |mean(s)|`, where
  /// `s_(1) ≥ s_(2) ≥ …` are the scores sorted descending (larger = keep) and
  /// `m = n − round(ratio·n)` is the number kept (`PrunedSetOverlap.prunedCount`): the gap
  /// between the weakest kept and the strongest pruned filter. `nil` when nothing or everything
  /// is pruned (no threshold).
  /// - Throws: `StatisticsError` for a ratio outside [0, 1], non-finite scores or a zero mean.
  public static func relativeThresholdGap(scores: [Double], ratio: Double)
    throws(StatisticsError) -> Double?
  {
    try DoubleKernels.requireFinite(scores, "relative threshold gap")
    let pruned = try PrunedSetOverlap.prunedCount(count: scores.count, ratio: ratio)
    let kept = scores.count - pruned
    guard kept >= 1, kept < scores.count else { return nil }
    let mean = Descriptive.mean(scores)
    guard mean != 0 else {
      throw .invalidParameter(
        what: "relative threshold gap: mean of the scores", value: mean,
        expected: "a non-zero mean")
    }
    let descending = scores.sorted(by: >)
    return (descending[kept - 1] - descending[kept]) / abs(mean)
  }

  /// The three applicability figures of one layer's scores together.
  public struct Report: Sendable, Equatable, Codable {
    /// Coefficient of variation of the scores (sample standard deviation).
    public internal(set) var coefficientOfVariation: Double
    /// The CWDA prediction `1/sqrt(2k)`.
    public internal(set) var cwdaPrediction: Double
    /// `coefficientOfVariation / cwdaPrediction` (≈ 1 for ℓ2 under CWDA).
    public internal(set) var ratioToPrediction: Double
    /// The relative gap at the threshold, `nil` when the ratio prunes nothing or everything.
    public internal(set) var relativeThresholdGap: Double?
  }

  /// Computes the `Report` for `scores` of filters with dimension `k` at pruning `ratio`.
  /// - Throws: as `coefficientOfVariation(_:)` and `relativeThresholdGap(scores:ratio:)`, and
  ///   `StatisticsError.invalidParameter` when `k < 1`.
  public static func report(scores: [Double], dimension k: Int, ratio: Double)
    throws(StatisticsError) -> Report
  {
    guard k >= 1 else {
      throw .invalidParameter(
        what: "applicability filter dimension", value: Double(k), expected: "k ≥ 1")
    }
    let cv = try coefficientOfVariation(scores)
    let prediction = cwdaPrediction(dimension: k)
    return Report(
      coefficientOfVariation: cv, cwdaPrediction: prediction, ratioToPrediction: cv / prediction,
      relativeThresholdGap: try relativeThresholdGap(scores: scores, ratio: ratio))
  }
}
