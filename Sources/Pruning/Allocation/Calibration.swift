import Datasets
import TensorCore

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
