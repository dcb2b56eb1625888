import Testing

@testable import Render

@Suite struct SparklineTests {
  @Test func levelsAcrossTheRange() {
    let ramp: [Double] = [0, 1, 2, 3, 4, 5, 6, 7]
    #expect(Sparkline.render(ramp, unicode: true) == "▁▂▃▄▅▆▇█")
    #expect(Sparkline.render(ramp, unicode: false) == "_.-:=+*#")
    #expect(Sparkline.render([0, 10], style: .unicodePlain) == "▁█")
    // A fixed range: 5 of 0...10 is 3.5 levels -> rounds to 4 ('▅').
    #expect(Sparkline.render([5], unicode: true, range: 0...10) == "▅")
  }

  @Test func gapsFlatAndEmpty() {
    #expect(Sparkline.render([0, .nan, 1], unicode: true) == "▁ █")
    #expect(Sparkline.render([2, 2, 2], unicode: true) == "▄▄▄")
    #expect(Sparkline.render([], unicode: true) == "")
    #expect(Sparkline.render([.nan], unicode: false) == " ")
  }

  @Test func svgPathBrokenAtGaps() {
    let svg = inspect(Sparkline.svg([1, 2, .nan, 3, 4]))
    let paths = svg.elements("path", className: "sparkline")
    #expect(paths.count == 1)
    // Two subpaths, each starting with a move.
    #expect(paths.first?.attributes["d"]?.filter { $0 == "M" }.count == 2)
    #expect(svg.count("circle", className: "last") == 1)
    let empty = inspect(Sparkline.svg([]))
    #expect(empty.count("path") == 0)
  }
}
