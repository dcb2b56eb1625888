import TensorCore

/// How a split is cut into batches: batch size, shuffling, dropping a short last batch, and
/// augmentation, with every random draw taken from a seeded generator.
///
/// Epoch `e` shuffles with a permutation drawn from `rng.derived("epoch.e")` and augments with
/// draws from `rng.derived("augment.e")`, so an epoch's batches depend only on (rng, e) — the
/// same seed gives bit-identical batches, whatever happened in other epochs.
///
/// ```swift
/// let sampler = try BatchSampler(batchSize: 128, augmentation: .cifar, rng: rng.derived("data"))
/// var batch = Batch()
/// var it = sampler.epoch(0, of: dataset.train)
/// while it.next(into: &batch) { /* batch.images, batch.labels */ }
/// ```
public struct BatchSampler: Sendable, Equatable {
  /// Images per batch.
  public let batchSize: Int
  /// Whether each epoch visits the images in a fresh random order.
  public let shuffle: Bool
  /// Whether a last batch shorter than `batchSize` is left out.
  public let dropLast: Bool
  /// The augmentation applied to each image.
  public let augmentation: Augmentation
  /// The generator that every epoch's draws are derived from.
  public let rng: SeededRNG

  /// A sampler; `batchSize` must be positive, the crop padding non-negative and the flip
  /// probability in [0, 1].
  public init(
    batchSize: Int, shuffle: Bool = true, dropLast: Bool = false,
    augmentation: Augmentation = .none, rng: SeededRNG
  ) throws(DatasetError) {
    guard batchSize > 0 else {
      throw .invalidArgument(
        name: "batch size", value: String(batchSize), expected: "a positive number")
    }
    guard augmentation.cropPadding >= 0 else {
      throw .invalidArgument(
        name: "crop padding", value: String(augmentation.cropPadding),
        expected: "0 (no crop) or more")
    }
    guard (0...1).contains(augmentation.flipProbability) else {
      throw .invalidArgument(
        name: "flip probability", value: String(augmentation.flipProbability),
        expected: "a probability in 0...1")
    }
    self.batchSize = batchSize
    self.shuffle = shuffle
    self.dropLast = dropLast
    self.augmentation = augmentation
    self.rng = rng
  }

  /// The fixed evaluation order: every image once, in order, unaugmented, the last batch kept.
  public static func evaluation(batchSize: Int) throws(DatasetError) -> BatchSampler {
    try BatchSampler(
      batchSize: batchSize, shuffle: false, dropLast: false, augmentation: .none,
      rng: SeededRNG(seed: 0))
  }

  /// The number of batches an epoch over `count` images has.
  public func batchCount(for count: Int) -> Int {
    dropLast ? count / batchSize : (count + batchSize - 1) / batchSize
  }

  /// An iterator over the batches of epoch `epoch` of `split`.
  public func epoch(_ epoch: Int, of split: DataSplit) -> BatchIterator {
    var order: [Int]
    if shuffle {
      var orderRNG = rng.derived("epoch.\(epoch)")
      order = orderRNG.permutation(split.count)
    } else {
      order = Array(0..<split.count)
    }
    let used = batchCount(for: split.count)
    order.removeLast(order.count - min(order.count, used * batchSize))
    return BatchIterator(
      split: split, order: order, batchSize: batchSize, augmentation: augmentation,
      rng: rng.derived("augment.\(epoch)"))
  }
}
