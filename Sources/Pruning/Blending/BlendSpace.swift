import NeuralNet

/// The search problem of one blend: per channel group its candidates' rank-normalised scores
/// ŝ, how many channels it loses, and which gene holds each candidate's α. A genome maps to
/// blended scores `I = Σ α·ŝ` and, by removing each group's lowest `removed` channels (ties:
/// lower index first, as the planner does), to keep-masks.
///
/// ```swift
/// let space = try BlendSpace(network: net, clusters: k, scores: candidateScores,
///                            removedCounts: counts, sharing: .group)
/// let removed = space.removed(space.uniform)   // per group, channel indices removed
/// ```
public struct BlendSpace: Codable, Sendable, Equatable {
  /// One gene: a candidate criterion in a scope (a group id, `stage N`, or `network`).
  public struct Gene: Codable, Sendable, Hashable {
    /// The group id, `stage N` or `network`.
    public var scope: String
    /// The candidate criterion.
    public var criterion: String
  }

  /// One group of the problem.
  public struct Group: Codable, Sendable, Equatable {
    /// ``ChannelGroup/id``.
    public var id: String
    /// Channels.
    public var channels: Int
    /// Channels removed (fixed by the allocation).
    public var removed: Int
    /// The candidates, in criteria order.
    public var candidates: [String]
    /// Per candidate, the gene holding its α.
    public var genes: [Int]
    /// Per candidate, ŝ per channel.
    public var normalized: [[Double]]
    /// Per candidate, the cluster it represents (criteria names).
    public var represents: [[String]]
  }

  /// The groups, in the planner's order.
  public var groups: [Group]
  /// The genes, in order of first use.
  public var genes: [Gene]
  /// How α is shared.
  public var sharing: BlendSharing
  /// The criteria of the clustering (every one-hot individual stands for one of them).
  public var criteria: [String]

  /// Builds the problem from `clusters` (made on `network`), the candidates' scores (one
  /// ``LayerScores`` per candidate name in ``CriteriaClusters/candidateNames``, any order) and
  /// the channels each group loses.
  public init(
    network: Network, clusters: CriteriaClusters, scores: [LayerScores],
    removedCounts: [String: Int], sharing: BlendSharing
  ) throws {
    try clusters.validate(for: network)
    let planner = try Planner(network: network)
    var byName: [String: [String: [Double]]] = [:]
    for s in scores { byName[s.criterion] = try planner.groupScores(s) }
    var genes: [Gene] = []
    var geneIndex: [Gene: Int] = [:]
    var groups: [Group] = []
    for g in clusters.groups {
      guard let real = planner.groups.group(id: g.group), real.channels == g.channels else {
        throw BlendError.modelMismatch("the model has no group '\(g.group)' of \(g.channels)")
      }
      let order = g.candidates.sorted()
      var names: [String] = []
      var geneIDs: [Int] = []
      var normalized: [[Double]] = []
      var represents: [[String]] = []
      for c in order {
        let name = clusters.criteria[c]
        guard let s = byName[name]?[g.group] else {
          throw BlendError.invalidOption("no scores of candidate '\(name)' for '\(g.group)'")
        }
        let scope: String
        switch sharing {
        case .group: scope = g.group
        case .stage: scope = "stage \(g.stage)"
        case .network: scope = "network"
        }
        let gene = Gene(scope: scope, criterion: name)
        let id = geneIndex[gene] ?? genes.count
        if id == genes.count {
          geneIndex[gene] = id
          genes.append(gene)
        }
        names.append(name)
        geneIDs.append(id)
        normalized.append(RankNormalization.normalize(s))
        let cluster = g.clusters.first { $0.contains(c) } ?? [c]
        represents.append(cluster.map { clusters.criteria[$0] })
      }
      let q = removedCounts[g.group] ?? 0
      guard q >= 0, q < g.channels else {
        throw BlendError.invalidOption("group '\(g.group)' cannot lose \(q) of \(g.channels)")
      }
      groups.append(
        Group(
          id: g.group, channels: g.channels, removed: q, candidates: names, genes: geneIDs,
          normalized: normalized, represents: represents))
    }
    self.groups = groups
    self.genes = genes
    self.sharing = sharing
    self.criteria = clusters.criteria
  }

  /// Every α equal (1).
  public var uniform: BlendGenome { BlendGenome([Double](repeating: 1, count: genes.count)) }

  /// The one-hot individual standing for `criterion`: in every group, α = 1 for the candidate
  /// whose cluster holds `criterion`, 0 elsewhere. With `sharing = .group` this ranks every
  /// group exactly as the candidate alone does.
  public func oneHot(_ criterion: String) -> BlendGenome {
    var alphas = [Double](repeating: 0, count: genes.count)
    for g in groups {
      for (k, members) in g.represents.enumerated() where members.contains(criterion) {
        alphas[g.genes[k]] = 1
      }
    }
    return BlendGenome(alphas)
  }

  /// The one-hot individuals of the first generation: one per distinct candidate, in criteria
  /// order, duplicates (same α) dropped.
  public var oneHots: [(criterion: String, genome: BlendGenome)] {
    var seen: Set<BlendGenome> = []
    let used = Set(groups.flatMap(\.candidates))
    return criteria.filter(used.contains).compactMap { c in
      let g = oneHot(c)
      return seen.insert(g).inserted ? (c, g) : nil
    }
  }

  /// Blended scores of group `index` under `genome`: `I_i = Σ_c α_c ŝ_{c,i}`.
  public func blended(_ genome: BlendGenome, group index: Int) -> [Double] {
    let g = groups[index]
    var total = [Double](repeating: 0, count: g.channels)
    for (k, s) in g.normalized.enumerated() {
      let a = genome.alphas[g.genes[k]]
      if a == 0 { continue }
      for i in 0..<g.channels { total[i] += a * s[i] }
    }
    return total
  }

  /// Per group, the channels removed under `genome` (ascending).
  public func removed(_ genome: BlendGenome) -> [[Int]] {
    groups.indices.map {
      Planner.lowest(groups[$0].removed, of: blended(genome, group: $0)).sorted()
    }
  }

  /// FNV-1a-64 (hex) of the keep-masks: equal masks, equal hash.
  public static func maskHash(_ removed: [[Int]]) -> String {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    func mix(_ v: UInt64) {
      for shift in stride(from: 0, to: 64, by: 8) {
        h ^= (v >> UInt64(shift)) & 0xff
        h = h &* 0x0000_0100_0000_01b3
      }
    }
    for (g, r) in removed.enumerated() {
      mix(UInt64(g) | 1 << 63)
      for i in r { mix(UInt64(i)) }
    }
    let s = String(h, radix: 16)
    return String(repeating: "0", count: 16 - s.count) + s
  }

  /// A plan removing `removed` (from ``removed(_:)``) from `network`.
  public func plan(
    removed: [[Int]], network: Network, criterion: String, ratio: Double,
    strategy: AllocationStrategy
  ) -> PruningPlan {
    PruningPlan(
      model: network.name, fingerprint: network.fingerprint, criterion: criterion, ratio: ratio,
      strategy: strategy, selection: .topK,
      groups: zip(groups, removed).map {
        GroupPlan(group: $0.id, channels: $0.channels, removed: $1)
      })
  }
}
