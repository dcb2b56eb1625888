import Statistics

/// How each layer's scores are rescaled before they are ranked together across layers in
/// global pruning.
///
/// Raw norms grow with the layer's fan-in (`E‖F‖₁ ≈ σk·sqrt(2/π)`, `E‖F‖₂ ≈ σ·sqrt(k)`,
/// ALGORITHMS.md §2.4), so without normalisation a global ranking mostly ranks layers.
public enum GlobalScoreNormalization: String, Codable, Sendable, CaseIterable {
  /// The raw scores.
  case none
  /// Each layer's scores divided by their largest absolute value (left as they are when all
  /// are 0).
  case max
  /// Each layer's scores divided by their Euclidean norm (left as they are when all are 0).
  case l2
  /// Each layer's average ranks `r ∈ [1, N]` mapped to `(r − 1)/(N − 1) ∈ [0, 1]` (ties share
  /// the mean rank; a single filter gets 1).
  case rank

  /// `scores` of one layer rescaled by this normalisation.
  ///
  /// ```swift
  /// GlobalScoreNormalization.max.apply([1, -4, 2])  // [0.25, -1, 0.5]
  /// GlobalScoreNormalization.rank.apply([5, 1, 5])  // [0.75, 0, 0.75]
  /// ```
  /// - Throws: `StatisticsError` for a non-finite score (ranks only).
  public func apply(_ scores: [Double]) throws(StatisticsError) -> [Double] {
    switch self {
    case .none:
      return scores
    case .max:
      let m = scores.reduce(0) { Swift.max($0, abs($1)) }
      return m > 0 ? scores.map { $0 / m } : scores
    case .l2:
      let norm = scores.reduce(0) { $0 + $1 * $1 }.squareRoot()
      return norm > 0 ? scores.map { $0 / norm } : scores
    case .rank:
      guard scores.count > 1 else { return scores.map { _ in 1 } }
      let ranks = try Ranks.average(scores)
      return ranks.map { ($0 - 1) / Double(scores.count - 1) }
    }
  }
}
