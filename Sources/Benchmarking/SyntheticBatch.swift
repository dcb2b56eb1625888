import NeuralNet
import TensorCore

/// One batch of synthetic data for timing: seeded standard-normal images of the network's input
/// shape and uniform random labels, so a benchmark measures the engine, not data loading.
public struct SyntheticBatch: Sendable {
  /// Images, plain NCHW, `batch · C·H·W` values.
  public var images: [Float]
  /// One label per image, in `0..<classes`.
  public var labels: [Int32]
  /// Images in the batch.
  public var batch: Int { labels.count }

  /// `batch` images for `network` drawn from `rng` (the images first, then the labels).
  public init(network: Network, batch: Int, rng: inout SeededRNG) {
    let count = batch * network.inputShape.reduce(1, *)
    images = (0..<count).map { _ in rng.nextNormal() }
    labels = (0..<batch).map { _ in Int32(rng.nextInt(below: network.classes)) }
  }
}
