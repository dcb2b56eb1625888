import Datasets
import TensorCore

/// The images the search judges pruned networks on: a held-out subset of the **training**
/// split (never the test split), and optionally other training images to re-estimate batch-norm
/// statistics on first.
///
/// ``split(_:images:recalibration:batchSize:rng:)`` draws both by one seeded permutation, so
/// they are disjoint and the same for the same generator.
public struct FitnessData: Sendable {
  /// The fitness images.
  public var images: DataSplit
  /// Images to re-estimate batch-norm statistics on (nil: keep the trained statistics).
  public var recalibration: DataSplit?
  /// Batch size of the evaluation and of the recalibration.
  public var batchSize: Int

  /// Fitness data from given splits.
  public init(images: DataSplit, recalibration: DataSplit?, batchSize: Int = 128) {
    self.images = images
    self.recalibration = recalibration
    self.batchSize = batchSize
  }

  /// `images` fitness images and `recalibration` others (rounded down to whole batches of
  /// `min(batchSize, recalibration)`; 0: none) drawn from `train` by a permutation from `rng`.
  ///
  /// - Throws: ``BlendError/data(_:)`` when the split holds fewer than `images + recalibration`.
  public static func split(
    _ train: DataSplit, images: Int, recalibration: Int, batchSize: Int = 128, rng: SeededRNG
  ) throws(BlendError) -> FitnessData {
    guard images >= 1 else { throw .data("images must be at least 1") }
    guard recalibration >= 0 else { throw .data("recalibrate must be 0 or more") }
    guard images + recalibration <= train.count else {
      throw .data(
        "images=\(images) and recalibrate=\(recalibration) need \(images + recalibration) "
          + "training images, the split has \(train.count); lower them")
    }
    var r = rng
    let order = r.permutation(train.count)
    let fit = train.selecting(Array(order[0..<images]))
    var recal: DataSplit? = nil
    if recalibration > 0 {
      let b = min(batchSize, recalibration)
      let n = recalibration / b * b
      recal = train.selecting(Array(order[images..<(images + n)]))
    }
    return FitnessData(images: fit, recalibration: recal, batchSize: batchSize)
  }
}
