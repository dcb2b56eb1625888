/// Which channels of a group go, once the count is known.
public enum SelectionRule: String, Hashable, Sendable, Codable {
  /// Remove the lowest-scoring channels (ties: lower index goes first).
  case topK = "top-k"
  /// CLR-RNF's k-reciprocal nearest filters (ALGORITHMS.md §4.4): keep the filters with the
  /// smallest worst-case neighbour rank; scores are not used.
  case rnf
}
