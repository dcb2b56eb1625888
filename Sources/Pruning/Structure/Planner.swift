import NeuralNet
import TensorCore

/// Turns criterion scores into a ``PruningPlan``: group scores, then allocation (how many
/// channels per group, by the ``ChannelAllocator`` of the options' ``AllocationStrategy``), then
/// selection (which ones, by the ``SelectionRule``).
public struct Planner: Sendable {
  /// The network to plan for.
  public let network: Network
  /// Its channel groups.
  public let groups: ChannelGroups

  /// A planner for `network`.
  public init(network: Network) throws {
    self.network = network
    self.groups = try ChannelGroups(network: network)
  }

  /// Per-group channel scores: a single producer's scores, or for groups with several producers
  /// `Σ_l s_l / ‖s_l‖₂` (ALGORITHMS.md §3.4).
  func groupScores(_ scores: LayerScores) throws -> [String: [Double]] {
    var result: [String: [Double]] = [:]
    for g in groups.groups {
      var total = [Double](repeating: 0, count: g.channels)
      for p in g.producers {
        guard let s = scores[p], s.count == g.channels else {
          throw PruningError.invalidPlan(
            "the '\(scores.criterion)' scores have no entry of \(g.channels) values for \(p)")
        }
        if g.producers.count == 1 {
          total = s
        } else {
          let norm = s.reduce(0) { $0 + $1 * $1 }.squareRoot()
          for j in 0..<g.channels { total[j] += norm > 0 ? s[j] / norm : 0 }
        }
      }
      result[g.id] = total
    }
    return result
  }

  /// Makes a plan removing about `ratio` (see ``AllocationStrategy``) with `options`. Balanced
  /// allocation needs `calibration` (a data split and a compute context), `target=latency` a
  /// `latency` model; RNF and ties may draw from `rng`. With ``PlanOptions/alignment`` the
  /// allocation's counts are rounded by ``ChannelAlignment`` before selection.
  public func plan(
    scores: LayerScores, ratio: Double, options: PlanOptions = PlanOptions(),
    calibration: Calibration? = nil, latency: LatencyModel? = nil,
    rng: SeededRNG = SeededRNG(seed: 0)
  ) throws -> PruningPlan {
    guard ratio.isFinite, ratio >= 0, ratio < 1 else {
      throw PruningError.invalidOption("ratio must be in [0, 1), got \(ratio)")
    }
    guard options.minimumChannels >= 1 else {
      throw PruningError.invalidOption("minimumChannels must be at least 1")
    }
    let scoresByGroup = try groupScores(scores)
    let allocator = options.allocation.allocator
    let includeStreams = options.includeResidualStreams ?? allocator.prunesResidualStreamsByDefault
    let eligible = groups.groups.filter { includeStreams || !$0.isResidualStream }
    let input = AllocationInput(
      network: network, groups: eligible, scores: scoresByGroup, ratio: ratio,
      minimumChannels: options.minimumChannels, calibration: calibration, latency: latency)
    var (counts, threshold) = try allocator.allocate(input)
    var alignment: ChannelAlignment?
    if let setting = options.alignment {
      let multiple: Int
      switch setting {
      case .multiple(let m): multiple = m
      case .automatic, .latency: multiple = MemoryDescriptor.channelBlock
      }
      let measure = try allocator.measure(input)
      var aligned = try ChannelAlignment.align(
        removed: counts, groups: eligible, multiple: multiple,
        minimumChannels: options.minimumChannels, measure: measure)
      if setting == .latency {
        guard let latency else {
          throw PruningError.invalidOption(
            "align=latency chooses roundings by a latency model: profile the network "
              + "(lat = profile m) and pass latency=lat")
        }
        try latency.validate(for: network)
        let unaligned = counts
        let lowered = ChannelAlignment.lowerLatency(
          removed: aligned.removed, unaligned: unaligned, groups: eligible, multiple: multiple,
          minimumChannels: options.minimumChannels, measure: measure,
          cost: { latency.predict(removed: $0) })
        aligned.record.changes = ChannelAlignment.changes(
          from: unaligned, to: lowered, groups: eligible)
        aligned.removed = lowered
        aligned.record.byLatency = true
      }
      counts = aligned.removed
      alignment = aligned.record
      alignment?.automatic = setting != .multiple(multiple)
    }
    var plans: [GroupPlan] = []
    for g in groups.groups {
      let q = max(0, counts[g.id] ?? 0)
      let removed: [Int]
      switch options.selection {
      case .topK:
        // groupScores(_:) has an entry for every group or throws.
        removed = Planner.lowest(q, of: scoresByGroup[g.id] ?? [])
      case .rnf:
        removed = try ReciprocalNearestFilters.removed(
          q, filters: filterMatrix(g), rng: rng.derived("rnf." + g.id))
      }
      plans.append(GroupPlan(group: g.id, channels: g.channels, removed: removed.sorted()))
    }
    var plan = PruningPlan(
      model: network.name, fingerprint: network.fingerprint, criterion: scores.criterion,
      ratio: ratio, strategy: options.allocation, selection: options.selection, groups: plans)
    plan.threshold = threshold
    plan.alignment = alignment
    return plan
  }

  /// The indices of the `q` smallest scores (ties: lower index first).
  static func lowest(_ q: Int, of scores: [Double]) -> [Int] {
    guard q > 0 else { return [] }
    let order = scores.indices.sorted { a, b in
      let (x, y) = (scores[a], scores[b])
      return x < y || (x == y && a < b) || (x.isNaN && !y.isNaN)
    }
    return Array(order.prefix(q))
  }

  /// Each channel's filter: its producers' weights concatenated, as rows of length k.
  func filterMatrix(_ g: ChannelGroup) throws -> [[Double]] {
    var rows = [[Double]](repeating: [], count: g.channels)
    for p in g.producers {
      guard let w = network.parameters[p + ".weight"] else {
        throw PruningError.invalidGraph(
          "conv '\(p)' of \(network.name) has no weights; rebuild or reload the model")
      }
      let k = w.count / g.channels
      let v = w.scalars
      for j in 0..<g.channels { rows[j] += v[(j * k)..<((j + 1) * k)].map(Double.init) }
    }
    return rows
  }
}
