import NeuralNet

/// A blended criterion (ALGORITHMS.md §1.3 step 6): per channel group, `I = Σ_c α_c · ŝ_c`
/// over the group's blending candidates, with ŝ the rank-normalised group scores. It conforms
/// to ``Criterion``, so planning, scoring, similarity and explanations take it like any other;
/// every producer conv of a group gets the group's blended score (the planner's per-group
/// combination `Σ s/‖s‖` then ranks exactly by `I`).
///
/// On the network it was searched on (same weights, ``WeightsDigest``) it returns the scores the search used,
/// so `plan m by b` reproduces the search's best masks even for data-driven candidates, whose
/// scores depend on the images drawn; on another network of the same graph it scores the
/// candidates afresh with the registry's criteria.
///
/// ```swift
/// let b = BlendedCriterion(result: searchResult, network: net)
/// let scores = try b.score(input)   // the best genome's blended scores
/// ```
public struct BlendedCriterion: Criterion, Codable, Equatable {
  /// One group's factors.
  public struct GroupFactors: Codable, Sendable, Equatable {
    /// ``ChannelGroup/id``.
    public var group: String
    /// Channels.
    public var channels: Int
    /// The candidates.
    public var candidates: [String]
    /// α per candidate.
    public var alphas: [Double]
  }

  public var name: String
  public var summary: String
  public var needs: CriterionNeeds
  /// Per group, the candidates and their α.
  public var groups: [GroupFactors]
  /// ``WeightsDigest`` of the searched network.
  public var weights: String
  /// Per group, the blended scores on the searched network.
  public var searchedScores: [String: [Double]]

  /// The criterion of `genome` in `space` (searched on `network`), called `name`.
  public init(space: BlendSpace, genome: BlendGenome, network: Network, name: String = "blend") {
    self.name = name
    let candidates = Set(space.groups.flatMap(\.candidates)).sorted()
    summary =
      "blend of \(candidates.joined(separator: ", ")) with per-\(space.sharing.rawValue) "
      + "calibration factors found by an evolutionary search"
    let costs = space.groups.flatMap(\.candidates).compactMap {
      try? CriterionRegistry.standard.criterion(named: $0).needs
    }
    needs = costs.max { ClusterMedoid.cost($0) < ClusterMedoid.cost($1) } ?? .weights
    groups = space.groups.map { g in
      GroupFactors(
        group: g.id, channels: g.channels, candidates: g.candidates,
        alphas: g.genes.map { genome.alphas[$0] })
    }
    weights = WeightsDigest.of(network)
    var scores: [String: [Double]] = [:]
    for i in space.groups.indices { scores[space.groups[i].id] = space.blended(genome, group: i) }
    searchedScores = scores
  }

  public func score(_ input: ScoringInput) throws -> LayerScores {
    let network = input.network
    let found = try ChannelGroups(network: network)
    var perGroup: [String: [Double]]
    if WeightsDigest.of(network) == weights {
      perGroup = searchedScores
    } else {
      for g in groups {
        guard let real = found.group(id: g.group), real.channels == g.channels else {
          throw BlendError.modelMismatch(
            "the blend has a group '\(g.group)' of \(g.channels) channels that "
              + "'\(network.name)' lacks; it fits networks of the graph it was searched on")
        }
      }
      let names = Set(groups.flatMap(\.candidates)).sorted()
      let scored = try CriterionRegistry.standard.score(names, input: input)
      let planner = try Planner(network: network)
      var byName: [String: [String: [Double]]] = [:]
      for s in scored { byName[s.criterion] = try planner.groupScores(s) }
      perGroup = [:]
      for g in groups {
        var total = [Double](repeating: 0, count: g.channels)
        for (c, a) in zip(g.candidates, g.alphas) where a != 0 {
          guard let raw = byName[c]?[g.group] else {
            throw BlendError.modelMismatch("no '\(c)' scores for group '\(g.group)'")
          }
          let s = RankNormalization.normalize(raw)
          for i in total.indices { total[i] += a * s[i] }
        }
        perGroup[g.group] = total
      }
    }
    var layers: [String] = []
    var scores: [String: [Double]] = [:]
    for node in network.nodes {
      guard case .conv(let spec) = node.operation else { continue }
      layers.append(node.name)
      if let g = found.group(producedBy: node.name), let s = perGroup[g.id] {
        scores[node.name] = s
      } else {
        scores[node.name] = [Double](repeating: 0, count: spec.outChannels)
      }
    }
    return LayerScores(criterion: name, layers: layers, scores: scores)
  }
}
