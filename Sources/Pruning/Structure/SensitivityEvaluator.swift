import NeuralNet

/// Measures sensitivity cases on one network and calibration set (masked evaluation, one
/// inference executor reused): a pure function of (network, calibration, case), so cases can be
/// measured in any grouping, in process or by workers, with the same bits.
///
/// ```swift
/// let evaluator = try SensitivityEvaluator(network: net, calibration: calibration)
/// let base = try evaluator.measure(cases[0])
/// ```
public final class SensitivityEvaluator {
  private let network: Network
  private let masked: MaskedEvaluator

  /// Prepares the evaluation of `network`'s cases on `calibration`.
  public init(network: Network, calibration: Calibration) throws {
    self.network = network
    masked = try MaskedEvaluator(network: network, calibration: calibration)
  }

  /// Loss and accuracy of the network with the case's channels masked.
  public func measure(_ item: SensitivityCase) throws -> FitnessMeasure {
    let variant: Network
    if item.isBase {
      variant = network
    } else {
      let plan = PruningPlan(
        model: network.name, fingerprint: network.fingerprint, criterion: "sensitivity",
        ratio: item.ratio, strategy: .uniform, selection: .topK,
        groups: [GroupPlan(group: item.group, channels: item.channels, removed: item.removed)])
      variant = try Surgery.mask(network, with: plan)
    }
    let m = try masked.evaluate(variant)
    return FitnessMeasure(accuracy: m.accuracy, loss: m.loss)
  }
}
