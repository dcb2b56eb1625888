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
  /// Runs the sweep.
  public static func run(
    network: Network, scores: LayerScores, ratios: [Double] = [0.25, 0.5, 0.75],
    calibration: Calibration, minimumChannels: Int = 1
  ) throws -> SensitivityReport {
    guard !ratios.isEmpty, ratios.allSatisfy({ $0 > 0 && $0 < 1 }) else {
      throw PruningError.invalidOption("sensitivity ratios must be in (0, 1)")
    }
    let planner = try Planner(network: network)
    let groupScores = try planner.groupScores(scores)
    let evaluator = try MaskedEvaluator(network: network, calibration: calibration)
    let base = try evaluator.evaluate(network)
    var points: [SensitivityPoint] = []
    // groupScores(_:) has an entry for every group of the planner or throws.
    for g in planner.groups.groups {
      for r in ratios {
        let q = min(Int((r * Double(g.channels)).rounded()), g.channels - minimumChannels)
        let plan = PruningPlan(
          model: network.name, fingerprint: network.fingerprint, criterion: scores.criterion,
          ratio: r, strategy: .uniform, selection: .topK,
          groups: [
            GroupPlan(
              group: g.id, channels: g.channels,
              removed: Planner.lowest(q, of: groupScores[g.id] ?? []))
          ])
        let m = try evaluator.evaluate(try Surgery.mask(network, with: plan))
        points.append(
          SensitivityPoint(
            group: g.id, ratio: r, removed: q, lossChange: m.loss - base.loss,
            accuracyChange: m.accuracy - base.accuracy))
      }
    }
    return SensitivityReport(
      criterion: scores.criterion, baseLoss: base.loss, baseAccuracy: base.accuracy, ratios: ratios,
      groups: planner.groups.groups.map(\.id), points: points)
  }
}
