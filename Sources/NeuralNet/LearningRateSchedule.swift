#if canImport(Glibc)
  import Glibc
#endif

/// How the learning rate changes over training.
public enum LearningRateSchedule: Hashable, Sendable, Codable {
  /// The base rate throughout.
  case constant
  /// Multiply by `gamma` at each epoch in `milestones` (0-based epoch indices at which the drop
  /// takes effect), PyTorch's `MultiStepLR`.
  case step(milestones: [Int], gamma: Double)
  /// Cosine annealing from the base rate to 0 over all iterations (per batch).
  case cosine

  /// The rate for batch `batch` (0-based) of epoch `epoch` (0-based).
  public func rate(
    base: Double, epoch: Int, batch: Int, batchesPerEpoch: Int, epochs: Int
  ) -> Double {
    switch self {
    case .constant:
      return base
    case .step(let milestones, let gamma):
      return base * pow(gamma, Double(milestones.filter { epoch >= $0 }.count))
    case .cosine:
      let total = Double(max(1, epochs * batchesPerEpoch))
      let t = Double(epoch * batchesPerEpoch + batch)
      return base * 0.5 * (1 + cos(Double.pi * t / total))
    }
  }
}
