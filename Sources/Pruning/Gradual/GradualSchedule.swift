/// What a gradual target counts: channels (as the FRS paper does) or FLOPs (MACs).
public enum GradualTarget: String, Hashable, Sendable, Codable {
  /// The fraction of the prunable channels removed.
  case channels
  /// The fraction of the network's MACs removed.
  case flops
}

/// When gradual pruning removes channels and how many (ALGORITHMS.md §5.4): after every
/// `every`-th epoch up to epoch `until` (1-based: epochs `every, 2·every, … ≤ until`), each step
/// removing an equal share of the target — step `k` of `K` brings the cumulative removal to
/// `k/K` of it. For a channel target of `T` channels, step `k` removes
/// `⌊k·T/K⌋ − ⌊(k−1)·T/K⌋` (the paper's fixed `x` per step when `K` divides `T`).
///
/// ```swift
/// let s = try GradualSchedule(epochs: 10, every: 2, until: 6, ratio: 0.5)
/// s.pruningEpochs  // [2, 4, 6]
/// ```
public struct GradualSchedule: Hashable, Sendable, Codable {
  /// Epochs of training in all.
  public var epochs: Int
  /// Epochs between pruning steps.
  public var every: Int
  /// The last epoch after which a step may happen.
  public var until: Int
  /// The fraction removed by the end, in `[0, 1)`.
  public var ratio: Double
  /// What `ratio` counts.
  public var target: GradualTarget

  /// A schedule; throws ``PruningError/invalidOption(_:)`` with what to change when the epochs
  /// do not allow a step or the ratio is out of range.
  public init(
    epochs: Int, every: Int, until: Int, ratio: Double, target: GradualTarget = .channels
  ) throws {
    guard epochs >= 1 else {
      throw PruningError.invalidOption("epochs must be at least 1, got \(epochs)")
    }
    guard every >= 1 else {
      throw PruningError.invalidOption(
        "every must be at least 1 (prune after every `every` epochs), got \(every)")
    }
    guard until >= 1, until <= epochs else {
      throw PruningError.invalidOption(
        "until=\(until) must be between 1 and epochs=\(epochs): the last pruning step comes "
          + "after an epoch that is trained")
    }
    guard every <= until else {
      throw PruningError.invalidOption(
        "every=\(every) is larger than until=\(until), so no pruning step would happen; "
          + "lower every or raise until")
    }
    guard ratio.isFinite, ratio >= 0, ratio < 1 else {
      throw PruningError.invalidOption("ratio must be in [0, 1), got \(ratio)")
    }
    self.epochs = epochs
    self.every = every
    self.until = until
    self.ratio = ratio
    self.target = target
  }

  /// The 1-based epochs after which a step happens.
  public var pruningEpochs: [Int] { Array(stride(from: every, through: until, by: every)) }

  /// Steps in all.
  public var steps: Int { until / every }

  /// The step (1-based) that follows epoch `epoch` (1-based), or nil.
  public func step(after epoch: Int) -> Int? {
    guard epoch >= every, epoch <= until, epoch % every == 0 else { return nil }
    return epoch / every
  }

  /// The fraction of the target reached after step `k` (1-based): `k/K` of `ratio`.
  public func cumulativeRatio(afterStep k: Int) -> Double {
    ratio * Double(min(max(k, 0), steps)) / Double(steps)
  }

  /// Channels removed by step `k` (1-based) of a total of `total`: `⌊k·T/K⌋ − ⌊(k−1)·T/K⌋`.
  public func channels(atStep k: Int, total: Int) -> Int {
    let k = min(max(k, 1), steps)
    return k * total / steps - (k - 1) * total / steps
  }
}
