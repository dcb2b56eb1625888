/// How a subset of a split is chosen.
public enum SubsetSelection: String, Sendable, Equatable, Hashable, CaseIterable, Codable {
  /// The first n images, in file order.
  case first
  /// n images drawn at random without replacement (kept in file order).
  case random
  /// n images drawn at random with the same number per class as far as the classes allow.
  case stratified
}
