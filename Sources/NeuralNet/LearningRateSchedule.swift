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
      let initial = base / 25
      let (rising, pct) = Self.oneCyclePhase(
        epoch: epoch, batch: batch, batchesPerEpoch: batchesPerEpoch, epochs: epochs)
      return rising
        ? Self.anneal(initial, base, pct) : Self.anneal(base, initial / 1e4, pct)
    }
  }

  /// The momentum of batch `batch` of epoch `epoch` when it cycles with the one-cycle rate
  /// (PyTorch's `OneCycleLR(cycle_momentum=True)`): from `high` down to `low` while the rate
  /// rises, back up to `high` while it falls, by the same cosine annealing as the rate. For the
  /// other schedules, `nil` (momentum stays constant).
  public func cycledMomentum(
    low: Double, high: Double, epoch: Int, batch: Int, batchesPerEpoch: Int, epochs: Int
  ) -> Double? {
    guard self == .oneCycle else { return nil }
    let (rising, pct) = Self.oneCyclePhase(
      epoch: epoch, batch: batch, batchesPerEpoch: batchesPerEpoch, epochs: epochs)
    return rising ? Self.anneal(high, low, pct) : Self.anneal(low, high, pct)
  }

  /// Cosine annealing from `from` to `to` at `pct` ∈ [0, 1] of the way.
  private static func anneal(_ from: Double, _ to: Double, _ pct: Double) -> Double {
    to + (from - to) / 2 * (1 + cos(Double.pi * pct))
  }

  /// One-cycle's phase of a batch: whether the rate is still rising (the first 30% of the
  /// iterations, to iteration `0.3·total − 1` as in PyTorch) and how far into that phase.
  private static func oneCyclePhase(
    epoch: Int, batch: Int, batchesPerEpoch: Int, epochs: Int
  ) -> (rising: Bool, pct: Double) {
    let total = Double(max(1, epochs * batchesPerEpoch))
    let t = Double(epoch * batchesPerEpoch + batch)
    let peak = 0.3 * total - 1
    if t <= peak { return (true, peak > 0 ? t / peak : 1) }
    let rest = total - 1 - peak
    return (false, rest > 0 ? min(1, (t - peak) / rest) : 1)
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

  /// The momentum of batch `batch` of epoch `epoch` (0-based): ``momentum``, or with
  /// ``cycleMomentum`` and the one-cycle schedule, cycled between `momentum ∓ momentumSwing`
  /// (``LearningRateSchedule/cycledMomentum(low:high:epoch:batch:batchesPerEpoch:epochs:)``).
  public func momentum(epoch: Int, batch: Int, batchesPerEpoch: Int) -> Double {
    guard cycleMomentum,
      let cycled = schedule.cycledMomentum(
        low: momentum - Self.momentumSwing, high: momentum + Self.momentumSwing, epoch: epoch,
        batch: batch, batchesPerEpoch: batchesPerEpoch, epochs: epochs)
    else { return momentum }
    return cycled
  }
}
