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
    let order = drawOrder(train, rng: rng)
    let fit = train.selecting(Array(order[0..<images]))
    var recal: DataSplit? = nil
    if recalibration > 0 {
      let n = wholeBatches(recalibration, batchSize: batchSize)
      recal = train.selecting(Array(order[images..<(images + n)]))
    }
    return FitnessData(images: fit, recalibration: recal, batchSize: batchSize)
  }

  /// `images` training images (rounded down to whole batches of `min(batchSize, images)`) to
  /// re-estimate batch norm on, drawn by the same seeded permutation as
  /// ``split(_:images:recalibration:batchSize:rng:)`` draws, with no fitness images held out:
  /// how `eval … recalibrate=` measures a pruned network the way the search's fitness does.
  ///
  /// - Throws: ``BlendError/data(_:)`` when `images` is below 1 or above the split's size.
  public static func recalibration(
    _ train: DataSplit, images: Int, batchSize: Int = 128, rng: SeededRNG
  ) throws(BlendError) -> DataSplit {
    guard images >= 1 else { throw .data("recalibrate must be at least 1") }
    guard images <= train.count else {
      throw .data(
        "recalibrate=\(images) needs \(images) training images, the split has \(train.count); "
          + "lower it")
    }
    let order = drawOrder(train, rng: rng)
    return train.selecting(Array(order[0..<wholeBatches(images, batchSize: batchSize)]))
  }

  /// The batch size a recalibration of `images` images runs with: `min(batchSize, images)`.
  public static func recalibrationBatch(_ images: Int, batchSize: Int = 128) -> Int {
    max(1, min(batchSize, images))
  }

  private static func drawOrder(_ train: DataSplit, rng: SeededRNG) -> [Int] {
    var r = rng
    return r.permutation(train.count)
  }

  private static func wholeBatches(_ images: Int, batchSize: Int) -> Int {
    let b = recalibrationBatch(images, batchSize: batchSize)
    return images / b * b
  }
}
