import TensorCore

/// The batches of one epoch, in the order a `BatchSampler` chose; fills a caller's buffers.
///
/// ```swift
/// var batch = Batch()
/// while iterator.next(into: &batch) { train(on: batch) }
/// ```
public struct BatchIterator: Sendable {
  /// The split being iterated.
  public let split: DataSplit
  /// The image indices of the whole epoch, in visiting order (already cut for `dropLast`).
  public let order: [Int]
  /// Images per full batch.
  public let batchSize: Int
  /// The augmentation applied to each image.
  public let augmentation: Augmentation
  private var rng: SeededRNG
  private var position = 0

  init(
    split: DataSplit, order: [Int], batchSize: Int, augmentation: Augmentation, rng: SeededRNG
  ) {
    self.split = split
    self.order = order
    self.batchSize = batchSize
    self.augmentation = augmentation
    self.rng = rng
  }

  /// The number of batches in the epoch.
  public var batchCount: Int { (order.count + batchSize - 1) / batchSize }

  /// The number of batches already handed out.
  var batchesDone: Int { (position + batchSize - 1) / batchSize }

  /// Fills `batch` with the next batch and returns true, or returns false when the epoch is
  /// over. The batch's arrays are resized in place, so reusing one `Batch` allocates nothing
  /// once it has held a full batch.
  public mutating func next(into batch: inout Batch) -> Bool {
    batch.channels = split.channels
    batch.height = split.height
    batch.width = split.width
    return next(images: &batch.images, labels: &batch.labels) != nil
  }

  /// Fills `images` (NCHW) and `labels` with the next batch, resizing them in place, and
  /// returns the number of images in it, or nil when the epoch is over.
  public mutating func next(images: inout [Float], labels: inout [Int32]) -> Int? {
    guard position < order.count else { return nil }
    let n = min(batchSize, order.count - position)
    let size = split.imageSize
    resize(&images, to: n * size)
    resize(&labels, to: n)
    let (channels, height, width) = (split.channels, split.height, split.width)
    let padding = augmentation.cropPadding
    let augmentation = self.augmentation
    let order = self.order
    let start = position
    var rng = self.rng
    split.images.withUnsafeBufferPointer { source in
      images.withUnsafeMutableBufferPointer { target in
        for row in 0..<n {
          let index = order[start + row]
          labels[row] = split.labels[index]
          let from = UnsafeBufferPointer(rebasing: source[(index * size)..<((index + 1) * size)])
          let to = UnsafeMutableBufferPointer(rebasing: target[(row * size)..<((row + 1) * size)])
          if augmentation.isIdentity {
            _ = to.update(fromContentsOf: from)
          } else {
            let draw = augmentation.draw(using: &rng)
            Augmentation.transform(
              from, into: to, channels: channels, height: height, width: width,
              padding: padding, offsetY: draw.offsetY, offsetX: draw.offsetX, flip: draw.flip)
          }
        }
      }
    }
    self.rng = rng
    position += n
    return n
  }

  private func resize<T: Numeric>(_ array: inout [T], to count: Int) {
    if array.count > count {
      array.removeLast(array.count - count)
    } else if array.count < count {
      array.append(contentsOf: repeatElement(0, count: count - array.count))
    }
  }
}
