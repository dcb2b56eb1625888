import TensorCore

/// Training-time image augmentation: a random crop with zero padding, then a random
/// horizontal flip, applied per image with draws from a seeded generator.
///
/// With padding p the image is padded by p zeros on every side and an H×W window is cut at a
/// random offset (dy, dx) in 0...2p (offset p is the image itself); then, with probability
/// `flipProbability`, each row is reversed. On a normalised split the zero padding is the
/// channel mean.
///
/// ```swift
/// let aug = Augmentation(cropPadding: 4, flipProbability: 0.5)  // same as .cifar
/// ```
public struct Augmentation: Sendable, Equatable, Hashable, Codable {
  /// Zero padding on each side before the random crop; 0 turns cropping off.
  public internal(set) var cropPadding: Int
  /// The probability of a horizontal flip; 0 turns flipping off.
  public internal(set) var flipProbability: Double

  /// An augmentation with the given crop padding and flip probability.
  public init(cropPadding: Int = 0, flipProbability: Double = 0) {
    self.cropPadding = cropPadding
    self.flipProbability = flipProbability
  }

  /// No augmentation: images are copied as they are.
  public static let none = Augmentation()

  /// The usual CIFAR training augmentation: crop with padding 4, flip with probability 0.5.
  public static let cifar = Augmentation(cropPadding: 4, flipProbability: 0.5)

  /// Whether this augmentation changes nothing.
  public var isIdentity: Bool { cropPadding == 0 && flipProbability == 0 }

  /// Draws one image's crop offsets and flip from `rng`: `dy` then `dx` (each in
  /// `0...2·cropPadding`, only when cropping) then the flip (only when flipping).
  public func draw(using rng: inout SeededRNG) -> (offsetY: Int, offsetX: Int, flip: Bool) {
    var dy = cropPadding
    var dx = cropPadding
    if cropPadding > 0 {
      dy = rng.nextInt(below: 2 * cropPadding + 1)
      dx = rng.nextInt(below: 2 * cropPadding + 1)
    }
    let flip = flipProbability > 0 && rng.nextDouble() < flipProbability
    return (dy, dx, flip)
  }

  /// Writes one augmented CHW image into `target`: the crop of `source` padded by `padding`
  /// zeros at offset (`offsetY`, `offsetX`), reversed left to right when `flip` is set.
  ///
  /// `target[c][y][x] = source[c][y + offsetY − padding][x' + offsetX − padding]` where
  /// `x' = flip ? width − 1 − x : x`, and 0 where that falls outside the image.
  public static func transform(
    _ source: UnsafeBufferPointer<Float>, into target: UnsafeMutableBufferPointer<Float>,
    channels: Int, height: Int, width: Int, padding: Int, offsetY: Int, offsetX: Int, flip: Bool
  ) {
    let plane = height * width
    precondition(source.count >= channels * plane && target.count >= channels * plane)
    let shiftY = offsetY - padding
    let shiftX = offsetX - padding
    // Output columns whose source column lies inside the image.
    let firstX = max(0, -shiftX)
    let endX = min(width, width - shiftX)
    for c in 0..<channels {
      let base = c * plane
      for y in 0..<height {
        let row = base + y * width
        let sy = y + shiftY
        if sy < 0 || sy >= height || firstX >= endX {
          for x in 0..<width { target[row + x] = 0 }
          continue
        }
        let sourceRow = base + sy * width
        if flip {
          // target[x] = cropped[width − 1 − x]; cropped[u] = source[u + shiftX] for u in
          // firstX..<endX, else 0.
          for x in 0..<width {
            let u = width - 1 - x
            target[row + x] = (u >= firstX && u < endX) ? source[sourceRow + u + shiftX] : 0
          }
        } else {
          for x in 0..<firstX { target[row + x] = 0 }
          for x in firstX..<endX { target[row + x] = source[sourceRow + x + shiftX] }
          for x in endX..<width { target[row + x] = 0 }
        }
      }
    }
  }
}
