/// What a criterion has to read besides the weights: nothing, images, or images and gradients.
public enum CriterionNeeds: String, Codable, Sendable {
  /// The weights alone (l1, l2, fpgm, fermat, bn, clr, random).
  case weights
  /// Forward passes over images of a data split (apoz, hrank, frs).
  case data
  /// Forward and backward passes over labelled images (taylor).
  case gradients
}

/// A filter-importance criterion: one score per output channel of every convolution,
/// **larger = keep** (ALGORITHMS.md §1.3 step 1).
///
/// ```swift
/// let l1 = try CriterionRegistry.standard.criterion(named: "l1")
/// let scores = try l1.score(ScoringInput(network: net, context: context, rng: rng))
/// scores.scores["conv1"]  // one value per filter of conv1
/// ```
public protocol Criterion: Sendable {
  /// The registry name (`l1`, `taylor`, …).
  var name: String { get }
  /// A one-line description.
  var summary: String { get }
  /// What the criterion reads.
  var needs: CriterionNeeds { get }
  /// Scores every conv node of `input.network`; never changes the caller's network.
  func score(_ input: ScoringInput) throws -> LayerScores
}
