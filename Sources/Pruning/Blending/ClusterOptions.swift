/// Which ranks one group's clustering reads.
public enum ClusterPooling: String, Codable, Sendable, CaseIterable {
  /// Each group alone (its producer layers' ρ, weighted by filters).
  case group
  /// Narrow groups (≤ ``ClusterOptions/narrowWidth`` channels, where one layer's ρ is noise)
  /// pool their layers' ρ per stage; wider groups stay alone (ALGORITHMS.md §1.6).
  case stage
}

/// How `cluster` cuts the tree: at a ρ threshold (default 0.9, i.e. d = 1 − ρ ≤ 0.1) or into
/// exactly `k` clusters, and how groups pool their ranks.
public struct ClusterOptions: Codable, Sendable, Equatable, Hashable {
  /// Merge while the average-linkage ρ is at least this (ignored when ``clusters`` is set).
  public var threshold: Double
  /// Exactly this many clusters per group (clamped to the number of criteria).
  public var clusters: Int?
  /// Per group, or narrow groups pooled per stage.
  public var pooling: ClusterPooling
  /// Groups of at most this many channels are "narrow" for `pooling = .stage`.
  public var narrowWidth: Int

  /// Defaults: ρ ≥ 0.9, per group, narrow = 16.
  public init(
    threshold: Double = 0.9, clusters: Int? = nil, pooling: ClusterPooling = .group,
    narrowWidth: Int = 16
  ) {
    self.threshold = threshold
    self.clusters = clusters
    self.pooling = pooling
    self.narrowWidth = narrowWidth
  }

  /// Checks the ranges.
  public func validate() throws(BlendError) {
    guard threshold.isFinite, threshold >= -1, threshold <= 1 else {
      throw .invalidOption("threshold is a Spearman ρ in [−1, 1], got \(threshold)")
    }
    if let k = clusters, k < 1 { throw .invalidOption("k must be at least 1, got \(k)") }
  }
}
