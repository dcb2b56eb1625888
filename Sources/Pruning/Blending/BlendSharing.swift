/// How many calibration factors the search has: one per (group, candidate) as the paper
/// suggests, one per (stage, candidate), or one per candidate for the whole network
/// (ALGORITHMS.md §1.6 — sharing keeps deep networks' genomes short).
public enum BlendSharing: String, Codable, Sendable, CaseIterable {
  /// α per group and candidate.
  case group
  /// α per stage and candidate.
  case stage
  /// α per candidate.
  case network
}
