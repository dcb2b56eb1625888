import Datasets
import NeuralNet
import TensorCore

#if canImport(Glibc)
  import Glibc
#endif

/// Turns criterion scores into a ``PruningPlan``: allocation (how many channels per group) then
/// selection (which ones).
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
  public func groupScores(_ scores: LayerScores) throws -> [String: [Double]] {
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
  /// allocation needs `calibration` (a data split and a compute context); RNF and ties may draw
  /// from `rng`.
  public func plan(
    scores: LayerScores, ratio: Double, options: PlanOptions = PlanOptions(),
    calibration: Calibration? = nil, rng: SeededRNG = SeededRNG(seed: 0)
  ) throws -> PruningPlan {
    guard ratio.isFinite, ratio >= 0, ratio < 1 else {
      throw PruningError.invalidOption("ratio must be in [0, 1), got \(ratio)")
    }
    guard options.minimumChannels >= 1 else {
      throw PruningError.invalidOption("minimumChannels must be at least 1")
    }
    let scoresByGroup = try groupScores(scores)
    let includeStreams: Bool = {
      if let explicit = options.includeResidualStreams { return explicit }
      if case .clr = options.allocation { return false }
      return true
    }()
    let eligible = groups.groups.filter { includeStreams || !$0.isResidualStream }
    let counts: [String: Int]
    switch options.allocation {
    case .uniform:
      counts = Dictionary(
        uniqueKeysWithValues: eligible.map { g in
          (
            g.id,
            min(Int((ratio * Double(g.channels)).rounded()), g.channels - options.minimumChannels)
          )
        })
    case .global(let normalization):
      counts = try globalCounts(
        eligible, scoresByGroup, ratio, normalization, options.minimumChannels)
    case .clr(let lambda):
      counts = try clrCounts(eligible, ratio, lambda, options.minimumChannels)
    case .balanced(let target, let granularity):
      guard let calibration else {
        throw PruningError.invalidOption(
          "balanced allocation needs calibration data (a data set to measure the loss on)")
      }
      counts = try BalancedAllocation(
        planner: self, groups: eligible, scores: scoresByGroup, calibration: calibration,
        minimumChannels: options.minimumChannels, granularity: granularity
      ).counts(target: target, reduction: ratio)
    }
    var plans: [GroupPlan] = []
    for g in groups.groups {
      let q = max(0, counts[g.id] ?? 0)
      let removed: [Int]
      switch options.selection {
      case .topK:
        removed = Planner.lowest(q, of: scoresByGroup[g.id]!)
      case .rnf:
        removed = try ReciprocalNearestFilters.removed(
          q, filters: filterMatrix(g), rng: rng.derived("rnf." + g.id))
      }
      plans.append(GroupPlan(group: g.id, channels: g.channels, removed: removed.sorted()))
    }
    return PruningPlan(
      model: network.name, fingerprint: network.fingerprint, criterion: scores.criterion,
      ratio: ratio, strategy: options.allocation.name, selection: options.selection.rawValue,
      groups: plans)
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
  func filterMatrix(_ g: ChannelGroup) -> [[Double]] {
    var rows = [[Double]](repeating: [], count: g.channels)
    for p in g.producers {
      let w = network.parameters[p + ".weight"]!
      let k = w.count / g.channels
      let v = w.scalars
      for j in 0..<g.channels { rows[j] += v[(j * k)..<((j + 1) * k)].map(Double.init) }
    }
    return rows
  }

  private func globalCounts(
    _ eligible: [ChannelGroup], _ scores: [String: [Double]], _ ratio: Double,
    _ normalization: GlobalScoreNormalization, _ floor: Int
  ) throws -> [String: Int] {
    var all: [(score: Double, group: String, index: Int)] = []
    for g in eligible {
      let s = scores[g.id]!
      let normalized = try normalization.apply(s)
      for (j, v) in normalized.enumerated() { all.append((v, g.id, j)) }
    }
    all.sort {
      $0.score < $1.score || ($0.score == $1.score && ($0.group, $0.index) < ($1.group, $1.index))
    }
    let target = Int((ratio * Double(all.count)).rounded())
    var counts: [String: Int] = [:]
    let capacity = Dictionary(uniqueKeysWithValues: eligible.map { ($0.id, $0.channels - floor) })
    var removed = 0
    for entry in all where removed < target {
      if counts[entry.group, default: 0] < capacity[entry.group]! {
        counts[entry.group, default: 0] += 1
        removed += 1
      }
    }
    return counts
  }

  private func clrCounts(
    _ eligible: [ChannelGroup], _ ratio: Double, _ lambda: Double?, _ floor: Int
  ) throws -> [String: Int] {
    let factors = try ComputationFactors(network: network).factors
    let lam = lambda ?? CLRCriterion.defaultLambda(model: network.name)
    var perGroup: [(ChannelGroup, [Double])] = []
    var all: [Double] = []
    for g in eligible {
      var values: [Double] = []
      for p in g.producers {
        let c = pow(factors[p] ?? 1, lam)
        values += network.parameters[p + ".weight"]!.scalars.map { Double(abs($0)) / c }
      }
      perGroup.append((g, values))
      all += values
    }
    guard !all.isEmpty else { return [:] }
    all.sort(by: >)
    // T = the ⌊(1 − ratio)·|all|⌋-th largest value (keep threshold), as in the CLR-RNF code.
    let keep = max(1, Int((1 - ratio) * Double(all.count)))
    let threshold = all[min(keep, all.count) - 1]
    var counts: [String: Int] = [:]
    for (g, values) in perGroup {
      let below = values.filter { $0 < threshold }.count
      let p = Double(below) / Double(values.count)
      let kept = max(floor, Int(Double(g.channels) * (1 - p)))
      counts[g.id] = g.channels - min(kept, g.channels)
    }
    return counts
  }
}

/// Data for allocation strategies that measure the loss: a split, how many of its images to
/// use (the first ones, un-augmented), and the compute context.
public struct Calibration: Sendable {
  /// The split to measure on (usually a held-out part of the training set).
  public var split: DataSplit
  /// Images used (default 1,280 as ALGORITHMS.md §3.5 suggests for CIFAR).
  public var images: Int
  /// Batch size of the evaluation.
  public var batchSize: Int
  /// Where to run.
  public var context: ComputeContext

  /// A calibration set of the first `images` images of `split`.
  public init(split: DataSplit, images: Int = 1280, batchSize: Int = 128, context: ComputeContext) {
    self.split = split
    self.images = images
    self.batchSize = batchSize
    self.context = context
  }
}
