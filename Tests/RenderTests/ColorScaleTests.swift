import Testing

@testable import Render

@Suite struct ColorScaleTests {
  @Test func divergingEndsAndCentre() {
    let scale = ColorScale.correlation
    #expect(scale.color(for: -1) == RGB(33, 102, 172))
    #expect(scale.color(for: 0) == RGB(247, 247, 247))
    #expect(scale.color(for: 1) == RGB(178, 24, 43))
    #expect(scale.color(for: 5) == RGB(178, 24, 43))  // clamped
    #expect(scale.color(for: .nan) == nil)
    // (186,217,232) by hand: 0.4 of the way from (146,197,222) to (247,247,247).
    #expect(scale.color(for: -0.3) == RGB(186, 217, 232))
  }

  @Test func ansiCubeIndices() {
    // 16 + 36r + 6g + b with the nearest of 0,95,135,175,215,255 per channel.
    #expect(RGB(0, 0, 0).ansi256 == 16)
    #expect(RGB(255, 255, 255).ansi256 == 231)
    #expect(RGB(178, 24, 43).ansi256 == 124)
    #expect(RGB(33, 102, 172).ansi256 == 25)
    #expect(RGB(255, 0, 0).ansi256 == 196)
  }

  @Test func hexAndContrast() {
    #expect(RGB(178, 24, 43).hex == "#b2182b")
    #expect(RGB(0, 15, 255).hex == "#000fff")
    #expect(RGB(253, 231, 37).contrastingText == RGB(0, 0, 0))
    #expect(RGB(68, 1, 84).contrastingText == RGB(255, 255, 255))
  }

  @Test func shadeLevels() {
    let diverging = ColorScale.correlation
    #expect(
      [-1, -0.5, -0.1, 0, 0.2, 0.39, 0.6, 0.8, 1].map { diverging.shadeLevel(for: $0) }
        == [4, 2, 0, 0, 1, 1, 3, 4, 4])
    let sequential = ColorScale.sequential(min: 0, max: 10)
    #expect(
      [0, 1.99, 2, 5, 9.99, 10].map { sequential.shadeLevel(for: $0) }
        == [0, 0, 1, 2, 4, 4])
    #expect(sequential.shadeLevel(for: .nan) == nil)
  }

  @Test func degenerateRanges() {
    let flat = ColorScale.sequential(fitting: [3, 3, .nan])
    #expect(flat.minimum == 3 && flat.maximum == 3)
    #expect(flat.position(of: 3) == 0.5)
    #expect(ColorScale.sequential(fitting: []).maximum == 1)
    #expect(ColorScale.diverging(min: 1, max: -1).minimum == -1)
  }
}
