import Testing

@testable import Render

@Suite struct HeatMapTests {
  func twoByTwo() throws -> HeatMap {
    try HeatMap(title: "sim", labels: ["a", "b"], values: [[1, 0.5], [0.5, -0.3]])
  }

  @Test func plainASCIIGolden() throws {
    // Shades by |value| on [-1, 1]: 1.00 -> level 4 '#', 0.50 -> 2 ':', 0.30 -> 1 '.'.
    let expected = """
      sim
            a      b
      a  1.00#  0.50:
      b  0.50: -0.30.
      shade by |value|: . >=0.2  : >=0.4  * >=0.6  # >=0.8
      """
    #expect(try twoByTwo().render(style: .plain) == expected)
  }

  @Test func plainUnicodeGolden() throws {
    let expected = """
      sim
            a      b
      a  1.00█  0.50▒
      b  0.50▒ -0.30░
      shade by |value|: ░ ≥0.2  ▒ ≥0.4  ▓ ≥0.6  █ ≥0.8
      """
    #expect(try twoByTwo().render(style: .unicodePlain) == expected)
  }

  @Test func docExample() throws {
    let map = try HeatMap(labels: ["l1", "l2"], values: [[1, 0.9], [0.9, 1]])
    let expected = """
            l1     l2
      l1  1.00#  0.90#
      l2  0.90#  1.00#
      shade by |value|: . >=0.2  : >=0.4  * >=0.6  # >=0.8
      """
    #expect(map.render(style: .plain) == expected)
  }

  @Test func colourCellsUse256ColourBackgrounds() throws {
    let text = try twoByTwo().render(style: TerminalStyle(color: true, unicode: true))
    // Palette indices computed independently in Python: RdBu stops interpolated in RGB, then
    // the nearest 6x6x6 cube level per channel. 1 -> (178,24,43) -> 124; 0.5 -> (244,165,130)
    // -> 216; -0.3 -> (186,217,232) -> 152.
    #expect(text.contains("\u{1B}[48;5;124m"))
    #expect(text.contains("\u{1B}[48;5;216m"))
    #expect(text.contains("\u{1B}[48;5;152m"))
    #expect(text.contains(" 1.00 "))
    #expect(text.contains("scale: -1 "))
    #expect(!text.contains("#"))
  }

  @Test func noColorEnvironmentMeansNoEscapes() throws {
    let style = TerminalStyle.detect(
      isTTY: true, environment: ["NO_COLOR": "1", "LANG": "en_US.UTF-8"])
    #expect(!(try twoByTwo().render(style: style)).contains("\u{1B}"))
  }

  @Test func rectangularSequential() throws {
    let map = try HeatMap(
      rowLabels: ["conv1", "conv2"], columnLabels: ["x", "y", "z"],
      values: [[0, 0.5, 1], [0.25, 0.75, .nan]], scale: .sequential())
    let expected = """
                x      y      z
      conv1  0.00   0.50:  1.00#
      conv2  0.25.  0.75*   n/a
      shade by value: . >=0.2  : >=0.4  * >=0.6  # >=0.8
      """
    #expect(map.render(style: .plain) == expected)
  }

  @Test func shapeMismatchThrows() {
    #expect(throws: RenderError.shapeMismatch(what: "heat map rows", expected: 2, got: 1)) {
      try HeatMap(labels: ["a", "b"], values: [[1, 0]])
    }
    #expect(throws: RenderError.self) {
      try HeatMap(labels: ["a", "b"], values: [[1, 0], [1]])
    }
  }

  @Test func emptyMap() throws {
    let map = try HeatMap(title: "none", labels: [], values: [])
    #expect(map.render(style: .plain) == "none\n(empty)")
    let svg = inspect(map.svg())
    #expect(svg.count("rect", className: "cell") == 0)
  }

  @Test func svgCellsLegendAndEscapedLabels() throws {
    let label = "a<&>\"b"
    let map = try HeatMap(
      title: "r & s", labels: [label, "l2", "fpgm"],
      values: [[1, 0.2, -0.4], [0.2, 1, .nan], [-0.4, .nan, 1]])
    let text = map.svg()
    #expect(text.contains("a&lt;&amp;&gt;&quot;b"))
    let svg = inspect(text)
    #expect(svg.count("rect", className: "cell") == 7)
    #expect(svg.count("rect", className: "cell-missing") == 2)
    #expect(svg.count("rect", className: "legend-step") == 20)
    #expect(svg.count("text", className: "value") == 9)
    #expect(svg.elements("text", className: "row-label").map(\.text) == [label, "l2", "fpgm"])
    #expect(svg.elements("text", className: "title").first?.text == "r & s")
    let values = svg.elements("text", className: "value").map(\.text)
    #expect(values == ["1.00", "0.20", "-0.40", "0.20", "1.00", "n/a", "-0.40", "n/a", "1.00"])
    // Fill of the 1.00 cell: the last RdBu stop.
    #expect(svg.elements("rect", className: "cell").first?.attributes["fill"] == "#b2182b")
  }
}
