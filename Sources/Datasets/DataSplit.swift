/// One split of a data set (train or test): images as Float in NCHW and one label per image.
///
/// Pixels loaded from files are scaled to [0, 1] (byte / 255); after normalisation they are
/// (x − mean) / std per channel.
///
/// ```swift
/// let split = DataSplit(images: [0, 1, 1, 0], labels: [3], channels: 1, height: 2, width: 2)
/// print(split.count, split.image(0))  // 1 [0.0, 1.0, 1.0, 0.0]
/// ```
public struct DataSplit: Sendable, Equatable {
  /// The images, `count × channels × height × width` values, image after image (NCHW).
  public private(set) var images: [Float]
  /// One label per image, in `0..<classCount` of the data set.
  public private(set) var labels: [Int32]
  /// Channels per image (1 for MNIST-style data, 3 for CIFAR).
  public let channels: Int
  /// Image height in pixels.
  public let height: Int
  /// Image width in pixels.
  public let width: Int

  /// Creates a split; `images.count` must be `labels.count × channels × height × width`.
  public init(images: [Float], labels: [Int32], channels: Int, height: Int, width: Int) {
    precondition(channels > 0 && height > 0 && width > 0, "image dimensions must be positive")
    precondition(
      images.count == labels.count * channels * height * width,
      "DataSplit: \(images.count) values do not make \(labels.count) images of "
        + "\(channels)×\(height)×\(width)")
    self.images = images
    self.labels = labels
    self.channels = channels
    self.height = height
    self.width = width
  }

  /// Creates a split from bytes, scaling each to [0, 1] by dividing by 255.
  public init(pixels: [UInt8], labels: [Int32], channels: Int, height: Int, width: Int) {
    self.init(
      images: pixels.map { Float($0) / 255 }, labels: labels, channels: channels,
      height: height, width: width)
  }

  /// The number of images.
  public var count: Int { labels.count }

  /// Values per image: `channels × height × width`.
  public var imageSize: Int { channels * height * width }

  /// The shape of one image: `[channels, height, width]`.
  public var imageShape: [Int] { [channels, height, width] }

  /// The values of image `index` (CHW).
  public func image(_ index: Int) -> ArraySlice<Float> {
    images[(index * imageSize)..<((index + 1) * imageSize)]
  }

  /// How many images carry each label, for labels `0..<classes` (labels outside are ignored).
  public func classCounts(classes: Int) -> [Int] {
    var counts = [Int](repeating: 0, count: classes)
    for label in labels where label >= 0 && Int(label) < classes {
      counts[Int(label)] += 1
    }
    return counts
  }

  /// A new split made of the images at `indices`, in that order (indices may repeat).
  public func selecting(_ indices: [Int]) -> DataSplit {
    let size = imageSize
    var newImages = [Float](repeating: 0, count: indices.count * size)
    var newLabels = [Int32](repeating: 0, count: indices.count)
    images.withUnsafeBufferPointer { source in
      newImages.withUnsafeMutableBufferPointer { target in
        for (row, index) in indices.enumerated() {
          precondition(index >= 0 && index < count, "index \(index) outside 0..<\(count)")
          let from = UnsafeBufferPointer(rebasing: source[(index * size)..<((index + 1) * size)])
          _ = UnsafeMutableBufferPointer(rebasing: target[(row * size)..<((row + 1) * size)])
            .update(fromContentsOf: from)
          newLabels[row] = labels[index]
        }
      }
    }
    return DataSplit(
      images: newImages, labels: newLabels, channels: channels, height: height, width: width)
  }

  /// Replaces every image value by `transform(value, channel)`; used by normalisation.
  mutating func transformValues(_ transform: (Float, Int) -> Float) {
    let plane = height * width
    let channels = self.channels
    images.withUnsafeMutableBufferPointer { values in
      var offset = 0
      while offset < values.count {
        for c in 0..<channels {
          for i in offset..<(offset + plane) { values[i] = transform(values[i], c) }
          offset += plane
        }
      }
    }
  }
}
