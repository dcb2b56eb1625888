import Datasets
import Testing

@Suite struct AugmentationTests {
  /// Applies the crop/flip kernel to a CHW image.
  private func transform(
    _ image: [Float], channels: Int = 1, side: Int = 3, padding: Int, dy: Int, dx: Int,
    flip: Bool
  ) -> [Float] {
    var out = [Float](repeating: -1, count: image.count)
    image.withUnsafeBufferPointer { source in
      out.withUnsafeMutableBufferPointer { target in
        Augmentation.transform(
          source, into: target, channels: channels, height: side, width: side, padding: padding,
          offsetY: dy, offsetX: dx, flip: flip)
      }
    }
    return out
  }

  private let image: [Float] = [1, 2, 3, 4, 5, 6, 7, 8, 9]

  @Test func centreCropIsTheImage() {
    #expect(transform(image, padding: 1, dy: 1, dx: 1, flip: false) == image)
  }

  @Test func cropAtTopLeftShiftsDownRightAndZeroFills() {
    #expect(transform(image, padding: 1, dy: 0, dx: 0, flip: false) == [0, 0, 0, 0, 1, 2, 0, 4, 5])
  }

  @Test func cropAtBottomRightShiftsUpLeftAndZeroFills() {
    #expect(transform(image, padding: 1, dy: 2, dx: 2, flip: false) == [5, 6, 0, 8, 9, 0, 0, 0, 0])
    #expect(transform(image, padding: 2, dy: 4, dx: 0, flip: false) == [0, 0, 7, 0, 0, 0, 0, 0, 0])
  }

  @Test func flipReversesEachRow() {
    #expect(transform(image, padding: 0, dy: 0, dx: 0, flip: true) == [3, 2, 1, 6, 5, 4, 9, 8, 7])
  }

  @Test func cropThenFlip() {
    // Crop at (0, 0) gives [[0,0,0],[0,1,2],[0,4,5]]; the flip reverses its rows.
    #expect(transform(image, padding: 1, dy: 0, dx: 0, flip: true) == [0, 0, 0, 2, 1, 0, 5, 4, 0])
    // Crop at (1, 2) gives [[2,3,0],[5,6,0],[8,9,0]].
    #expect(transform(image, padding: 1, dy: 1, dx: 2, flip: true) == [0, 3, 2, 0, 6, 5, 0, 9, 8])
  }

  @Test func channelsMoveTogether() {
    let twoChannels: [Float] = [1, 2, 3, 4, 10, 20, 30, 40]
    let out = transform(twoChannels, channels: 2, side: 2, padding: 1, dy: 2, dx: 1, flip: false)
    #expect(out == [3, 4, 0, 0, 30, 40, 0, 0])
  }

  @Test func paddingWiderThanImageGivesZerosOrThePixel() {
    let tiny: [Float] = [7]
    #expect(transform(tiny, side: 1, padding: 3, dy: 0, dx: 3, flip: false) == [0])
    #expect(transform(tiny, side: 1, padding: 3, dy: 3, dx: 3, flip: true) == [7])
  }
}
