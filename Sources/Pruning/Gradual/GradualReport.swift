import NeuralNet

/// One epoch of a gradual run: training figures, test accuracy (when measured), speed, and the
/// size of the network after the epoch (and after its pruning step, if any).
public struct GradualEpoch: Hashable, Sendable, Codable {
  /// 1-based epoch.
  public var epoch: Int
  /// Mean training loss and accuracy over the epoch.
  public var loss: Double
  public var trainAccuracy: Double
  /// Accuracy on the evaluation split after the epoch (and its step), nil when not measured.
  public var testAccuracy: Double?
  /// Learning rate of the epoch's last step.
  public var learningRate: Double
  /// Wall seconds of the epoch's training (scoring and surgery not included).
  public var seconds: Double
  /// Training images per second in this epoch (measured).
  public var imagesPerSecond: Double
  /// Eligible channels left, MACs and parameters after the epoch.
  public var channels: Int
  public var macs: Int
  public var params: Int
  /// Channels removed by the step after this epoch (0: no step).
  public var removed: Int
}

/// One pruning step: which channels went, in the numbering of the network before the step.
public struct GradualStep: Hashable, Sendable, Codable {
  /// 1-based step and the epoch it followed.
  public var step: Int
  public var epoch: Int
  /// Channels removed by this step.
  public var removed: Int
  /// Per group id, the removed channel indices (ascending) of the network before the step.
  public var removedByGroup: [String: [Int]]
  /// MACs and parameters after the step.
  public var macs: Int
  public var params: Int
}

/// The outcome of ``GradualPruner/run(_:on:evaluation:context:rng:progress:)``.
public struct GradualReport: Sendable {
  /// The trained, pruned network (as far as it got when interrupted).
  public var network: Network
  /// The schedule followed.
  public var schedule: GradualSchedule
  /// The criterion's name.
  public var criterion: String
  /// Eligible channels, MACs and parameters before the run.
  public var channelsBefore: Int
  public var macsBefore: Int
  public var paramsBefore: Int
  /// Per epoch, and per step.
  public var epochs: [GradualEpoch]
  public var steps: [GradualStep]
  /// True when the progress callback stopped the run.
  public var interrupted: Bool
}

/// What ``GradualPruner`` reports while it runs.
public enum GradualEvent: Sendable {
  /// A training step, with the eligible channels left and the current MACs.
  case training(TrainingProgress, channels: Int, macs: Int)
  /// A pruning step finished.
  case pruned(GradualStep)
  /// An epoch (with its step and evaluation) finished.
  case epoch(GradualEpoch)
}
