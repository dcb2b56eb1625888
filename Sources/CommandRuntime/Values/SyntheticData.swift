import Datasets
import Foundation
import TensorCore

/// A seeded, learnable toy data set for tests and demos that need no files.
///
/// Class `k` of `K` has a prototype: a Gaussian blob (σ = size/6) centred on a circle of
/// radius size/4 around the image centre at angle 2πk/K, with a sign per channel that
/// alternates with the class (so classes differ in every channel). An image is its class's
/// prototype plus independent N(0, 0.35²) noise per pixel; labels run `0, 1, …, K−1, 0, …` so
/// the classes are balanced. The train split has `count` images, the test split
/// `max(count / 4, K)`; they draw their noise from `rng.derived("train")` and
/// `rng.derived("test")`.
///
/// ```swift
/// let spec = SyntheticData(classes: 4, size: 8, channels: 1, count: 256, seed: 7)
/// let data = spec.make()  // synthetic: train 256×1×8×8, test 64×1×8×8, 4 classes
/// ```
public struct SyntheticData: Hashable, Sendable, Codable {
  /// Number of classes (at least 2).
  public var classes: Int
  /// Image height and width.
  public var size: Int
  /// Channels per image.
  public var channels: Int
  /// Train images; the test split has `max(count / 4, classes)`.
  public var count: Int
  /// The seed every pixel comes from.
  public var seed: UInt64

  /// The standard deviation of the pixel noise.
  public static let noise: Float = 0.35

  /// Creates a specification.
  public init(classes: Int, size: Int, channels: Int, count: Int, seed: UInt64) {
    self.classes = classes
    self.size = size
    self.channels = channels
    self.count = count
    self.seed = seed
  }

  /// The number of test images.
  public var testCount: Int { max(count / 4, classes) }

  /// The prototype of class `k`: `channels × size × size` values.
  func prototype(_ k: Int) -> [Float] {
    let angle = 2 * Double.pi * Double(k) / Double(classes)
    let middle = Double(size - 1) / 2
    let radius = Double(size) / 4
    let cy = middle + radius * sin(angle)
    let cx = middle + radius * cos(angle)
    let sigma = Double(size) / 6
    var values = [Float](repeating: 0, count: channels * size * size)
    for c in 0..<channels {
      let sign: Double = (c + k) % 2 == 0 ? 1 : -1
      for y in 0..<size {
        for x in 0..<size {
          let d2 = (Double(y) - cy) * (Double(y) - cy) + (Double(x) - cx) * (Double(x) - cx)
          values[(c * size + y) * size + x] = Float(sign * exp(-d2 / (2 * sigma * sigma)))
        }
      }
    }
    return values
  }

  /// Builds the data set (not normalised).
  public func make() -> Dataset {
    let prototypes = (0..<classes).map(prototype)
    let root = SeededRNG(seed: seed)
    func split(_ n: Int, _ label: String) -> DataSplit {
      var rng = root.derived(label)
      let imageSize = channels * size * size
      var images = [Float](repeating: 0, count: n * imageSize)
      var labels = [Int32](repeating: 0, count: n)
      for i in 0..<n {
        let k = i % classes
        labels[i] = Int32(k)
        let prototype = prototypes[k]
        for j in 0..<imageSize {
          images[i * imageSize + j] = prototype[j] + Self.noise * rng.nextNormal()
        }
      }
      return DataSplit(
        images: images, labels: labels, channels: channels, height: size, width: size)
    }
    return Dataset(
      name: "synthetic", train: split(count, "train"), test: split(testCount, "test"),
      classCount: classes, classNames: (0..<classes).map { "class \($0)" })
  }
}
