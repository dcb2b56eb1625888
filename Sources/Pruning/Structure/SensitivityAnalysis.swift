import NeuralNet

/// One cell of a sensitivity sweep: a group pruned alone at a ratio.
public struct SensitivityPoint: Hashable, Sendable, Codable {
  /// The group.
  public var group: String
  /// Fraction of its channels removed (those with the lowest scores).
  public internal(set) var ratio: Double
  /// Channels removed.
  public internal(set) var removed: Int
  /// Loss and accuracy change against the unpruned network on the calibration set.
  public internal(set) var lossChange: Double
  public internal(set) var accuracyChange: Double
}

/// The result of a group-aware sensitivity sweep.
public struct SensitivityReport: Hashable, Sendable, Codable {
  /// Criterion that ranked the channels.
  public var criterion: String
  /// Loss and accuracy of the unpruned network.
  public internal(set) var baseLoss: Double
  var baseAccuracy: Double
  /// The ratios swept.
  public internal(set) var ratios: [Double]
  /// Groups in graph order.
  public var groups: [String]
  /// One point per group and ratio.
  public internal(set) var points: [SensitivityPoint]
}

/// Prunes each channel group alone at several ratios — whole groups, never an isolated layer of
/// a residual stream — and measures the loss and accuracy change on a calibration set (masked
/// evaluation; equal to the physically pruned network's, as the surgery tests show).
public enum SensitivityAnalysis {
  /// Runs the sweep in process.
  public static func run(
    network: Network, scores: LayerScores, ratios: [Double] = [0.25, 0.5, 0.75],
    calibration: Calibration, minimumChannels: Int = 1
  ) throws -> SensitivityReport {
    let all = try cases(
      network: network, scores: scores, ratios: ratios, minimumChannels: minimumChannels)
    let evaluator = try SensitivityEvaluator(network: network, calibration: calibration)
    return try report(
      criterion: scores.criterion, ratios: ratios, cases: all,
      measures: all.map(evaluator.measure))
  }

  /// The sweep's cases: the unpruned network first, then every group (graph order) at every
  /// ratio, removing its `round(ratio × channels)` lowest-scored channels (at most all but
  /// `minimumChannels`).
  public static func cases(
    network: Network, scores: LayerScores, ratios: [Double], minimumChannels: Int = 1
  ) throws -> [SensitivityCase] {
    guard !ratios.isEmpty, ratios.allSatisfy({ $0 > 0 && $0 < 1 }) else {
      throw PruningError.invalidOption("sensitivity ratios must be in (0, 1)")
    }
    let planner = try Planner(network: network)
    let groupScores = try planner.groupScores(scores)
    var result = [SensitivityCase(group: "", channels: 0, ratio: 0, removed: [])]
    // groupScores(_:) has an entry for every group of the planner or throws.
    for g in planner.groups.groups {
      for r in ratios {
        let q = min(Int((r * Double(g.channels)).rounded()), g.channels - minimumChannels)
        result.append(
          SensitivityCase(
            group: g.id, channels: g.channels, ratio: r,
            removed: Planner.lowest(q, of: groupScores[g.id] ?? [])))
      }
    }
    return result
  }

  /// The report of `cases` (from ``cases(network:scores:ratios:minimumChannels:)``) and their
  /// measurements, in the same order.
  public static func report(
    criterion: String, ratios: [Double], cases: [SensitivityCase], measures: [FitnessMeasure]
  ) throws -> SensitivityReport {
    guard cases.count == measures.count, let first = cases.first, first.isBase else {
      throw PruningError.invalidOption(
        "a sensitivity report needs the base case first and one measurement per case")
    }
    let base = measures[0]
    var points: [SensitivityPoint] = []
    var groups: [String] = []
    for (c, m) in zip(cases.dropFirst(), measures.dropFirst()) {
      if groups.last != c.group { groups.append(c.group) }
      points.append(
        SensitivityPoint(
          group: c.group, ratio: c.ratio, removed: c.removed.count,
          lossChange: m.loss - base.loss, accuracyChange: m.accuracy - base.accuracy))
    }
    return SensitivityReport(
      criterion: criterion, baseLoss: base.loss, baseAccuracy: base.accuracy, ratios: ratios,
      groups: groups, points: points)
  }
}
