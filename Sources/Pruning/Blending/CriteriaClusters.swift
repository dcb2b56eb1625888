import NeuralNet

/// Criteria clustered per channel group (ALGORITHMS.md §1.3 steps 4–5): for every group the
/// planner ranks, average-linkage clusters of the criteria on d = 1 − ρ, and each cluster's
/// blending candidate (``ClusterMedoid``); plus the same for the network-wide mean ρ.
///
/// **Which ρ a group uses.** A group's matrix is the filter-weighted mean of the Spearman
/// matrices of its producer convs (a plain conv is its own group). With `pooling = .stage`,
/// the narrow groups of a stage share the filter-weighted mean over all their layers (pooling
/// noisy small-layer estimates; this averages ρ rather than re-ranking the concatenated
/// scores). A group none of whose producers the similarity covers (e.g. `layers=rethinking`
/// left it out) uses the network-wide mean, and says so in ``GroupClusters/source``. An
/// undefined ρ counts as 0 (d = 1).
///
/// ```swift
/// let k = try CriteriaClusters(similarity: sim, layout: try GroupLayout(network: net),
///                              needs: [.weights, .weights, .gradients])
/// k.groups[0].clusters     // [[0, 1], [2]]
/// k.groups[0].candidates   // [0, 2]
/// ```
public struct CriteriaClusters: Codable, Sendable, Equatable {
  /// One group's clustering.
  public struct GroupClusters: Codable, Sendable, Equatable {
    /// ``ChannelGroup/id``.
    public var group: String
    /// Channels in the group.
    public var channels: Int
    /// Stage index.
    public var stage: Int
    /// Where the ρ matrix came from: `layers`, `stage pool` or `network average`.
    public var source: String
    /// The ρ matrix used (criteria order; nil undefined).
    public var rho: [[Double?]]
    /// The merge tree.
    public var tree: AgglomerativeClustering
    /// The clusters (criterion indices), ordered by lowest member.
    public var clusters: [[Int]]
    /// Per cluster, its candidate (a criterion index).
    public var candidates: [Int]
  }

  /// The criteria, in the similarity's order.
  public var criteria: [String]
  /// What each criterion reads (for the medoid tie-break and the blend's needs).
  public var needs: [CriterionNeeds]
  /// The groups of the model the similarity was computed on.
  public var layout: GroupLayout
  /// How the clusters were cut.
  public var options: ClusterOptions
  /// Per group, in the planner's order.
  public var groups: [GroupClusters]
  /// The network-wide mean ρ, its tree, clusters and candidates.
  public var network: GroupClusters

  /// Clusters `similarity`'s criteria for every group of `layout`.
  ///
  /// - Throws: ``BlendError/tooFewCriteria(_:)`` for fewer than two criteria,
  ///   ``BlendError/invalidOption(_:)`` for bad options or a `needs` of another length.
  public init(
    similarity: CriteriaSimilarity, layout: GroupLayout, needs: [CriterionNeeds],
    options: ClusterOptions = ClusterOptions()
  ) throws(BlendError) {
    let q = similarity.criteria.count
    guard q >= 2 else { throw .tooFewCriteria(q) }
    guard needs.count == q else {
      throw .invalidOption("needs has \(needs.count) entries for \(q) criteria")
    }
    try options.validate()
    criteria = similarity.criteria
    self.needs = needs
    self.layout = layout
    self.options = options
    let layers = Dictionary(
      similarity.layers.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
    func pooled(_ names: [String]) -> [[Double?]]? {
      let found = names.compactMap { layers[$0] }
      guard !found.isEmpty else { return nil }
      return Self.weightedMean(found.map { ($0.spearman, Double($0.filters)) }, size: q)
    }
    var stagePools: [Int: [[Double?]]] = [:]
    if options.pooling == .stage {
      for stage in 0..<layout.stageCount {
        let narrow = layout.groups.filter {
          $0.stage == stage && $0.channels <= options.narrowWidth
        }
        if let m = pooled(narrow.flatMap(\.producers)) { stagePools[stage] = m }
      }
    }
    let mean = similarity.meanSpearman
    func make(_ id: String, _ channels: Int, _ stage: Int, _ source: String, _ rho: [[Double?]])
      -> GroupClusters
    {
      let distances = (0..<q).map { a in (0..<q).map { b in a == b ? 0 : 1 - (rho[a][b] ?? 0) } }
      let tree = AgglomerativeClustering(distances: distances)
      let clusters =
        options.clusters.map { tree.cut(clusters: $0) }
        ?? tree.cut(threshold: 1 - options.threshold + 1e-12)
      let candidates = clusters.map { ClusterMedoid.pick(members: $0, rho: rho, costs: needs) }
      return GroupClusters(
        group: id, channels: channels, stage: stage, source: source, rho: rho, tree: tree,
        clusters: clusters, candidates: candidates)
    }
    groups = layout.groups.map { g in
      if options.pooling == .stage, g.channels <= options.narrowWidth, let m = stagePools[g.stage] {
        return make(g.id, g.channels, g.stage, "stage pool", m)
      }
      if let m = pooled(g.producers) { return make(g.id, g.channels, g.stage, "layers", m) }
      return make(g.id, g.channels, g.stage, "network average", mean)
    }
    network = make("network", 0, -1, "network average", mean)
  }

  /// The clustering of group `id`.
  public func group(_ id: String) -> GroupClusters? { groups.first { $0.group == id } }

  /// The distinct candidate criteria over all groups, in criteria order.
  public var candidateNames: [String] {
    let used = Set(groups.flatMap(\.candidates))
    return criteria.indices.filter { used.contains($0) }.map { criteria[$0] }
  }

  /// Checks that the clusters were made on `network`: same graph and same weights (the ranks
  /// the clusters come from depend on the weights).
  public func validate(for network: Network) throws(BlendError) {
    if let weights = layout.weights, layout.fingerprint == network.fingerprint,
      weights != WeightsDigest.of(network)
    {
      throw .modelMismatch(
        "they were made from a similarity of another '\(layout.model)' (same architecture, "
          + "other weights — trained or pruned since?); run similarity and cluster on this model")
    }
    guard layout.fingerprint == network.fingerprint else {
      throw .modelMismatch(
        "they were made from a similarity of '\(layout.model)' (fingerprint "
          + "\(layout.fingerprint)); this is '\(network.name)' (fingerprint "
          + "\(network.fingerprint)) — run similarity and cluster on this model")
    }
  }

  /// Element-wise weighted mean of the defined entries.
  static func weightedMean(_ matrices: [([[Double?]], Double)], size q: Int) -> [[Double?]] {
    (0..<q).map { a in
      (0..<q).map { b -> Double? in
        var sum = 0.0
        var weight = 0.0
        for (m, w) in matrices {
          if let v = m[a][b] {
            sum += w * v
            weight += w
          }
        }
        return weight > 0 ? sum / weight : nil
      }
    }
  }
}
