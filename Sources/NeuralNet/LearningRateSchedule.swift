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
  /// PyTorch's `OneCycleLR` with its defaults, per batch: from `base/25` up to the base rate
  /// (the peak) over the first 30% of the iterations, then down to `base/25/10⁴`, both by
  /// cosine annealing.
  case oneCycle

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
    case .oneCycle:
      let total = Double(max(1, epochs * batchesPerEpoch))
      let t = Double(epoch * batchesPerEpoch + batch)
      let initial = base / 25
      let final = initial / 1e4
      let peak = 0.3 * total - 1
      func anneal(_ from: Double, _ to: Double, _ pct: Double) -> Double {
        to + (from - to) / 2 * (1 + cos(Double.pi * pct))
      }
      if t <= peak { return anneal(initial, base, peak > 0 ? t / peak : 1) }
      let rest = total - 1 - peak
      return anneal(base, final, rest > 0 ? min(1, (t - peak) / rest) : 1)
    }
  }
}

extension TrainingOptions {
  /// The rate of batch `batch` of epoch `epoch` (0-based): the schedule's, scaled by the
  /// linear warm-up over the first ``warmupEpochs`` epochs.
  public func learningRate(epoch: Int, batch: Int, batchesPerEpoch: Int) -> Double {
    let lr = schedule.rate(
      base: learningRate, epoch: epoch, batch: batch, batchesPerEpoch: batchesPerEpoch,
      epochs: epochs)
    let warm = warmupEpochs * batchesPerEpoch
    let i = epoch * batchesPerEpoch + batch
    return warm > 0 && i < warm ? lr * Double(i + 1) / Double(warm) : lr
  }
}
