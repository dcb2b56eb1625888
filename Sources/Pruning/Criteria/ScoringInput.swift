import Datasets
import NeuralNet
import TensorCore

/// Everything a ``Criterion`` may read: the network, optionally a data split with the number
/// and size of batches to draw from it, the compute context, and the only generator of
/// randomness.
///
/// Data-driven criteria draw `batches × batchSize` distinct images from `data` by a seeded
/// permutation (`rng.derived("criteria.images")`), so the same generator gives the same images
/// to every criterion; when the split is smaller, the batch size shrinks to the split and the
/// number of batches to what the split holds.
public struct ScoringInput: Sendable {
  /// The network to score (a value; criteria work on copies).
  public var network: Network
  /// Images and labels for data-driven criteria; nil for weights-only runs.
  public internal(set) var data: DataSplit?
  /// Batches to run for data-driven criteria (default 4).
  public internal(set) var batches: Int
  /// Images per batch (default 64).
  public var batchSize: Int
  /// Where executors run.
  public var context: ComputeContext
  /// The only source of randomness (random scores, the choice of images).
  public var rng: SeededRNG

  /// An input; `data` may be nil when only weight criteria are run.
  public init(
    network: Network, data: DataSplit? = nil, batches: Int = 4, batchSize: Int = 64,
    context: ComputeContext, rng: SeededRNG
  ) {
    self.network = network
    self.data = data
    self.batches = batches
    self.batchSize = batchSize
    self.context = context
    self.rng = rng
  }
}
