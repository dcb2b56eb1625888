import Render
import Testing

@Suite struct LineChartTests {
  @Test func asciiGolden() throws {
    let chart = try LineChart(
      x: [0, 1, 2, 3, 4], series: [.init(name: "y", values: [0, 1, 2, 3, 4])])
    // Plot width 8 - 1 - 2 = 5 columns, 5 rows: the diagonal; y labels top, middle, bottom.
    let expected = """
      4 +    *
        |   *
      2 +  *
        | *
      0 +*
        +-----
         0   4
      * y
      """
    let style = TerminalStyle(color: false, unicode: false, width: 8)
    #expect(chart.render(style: style, height: 5) == expected)
  }

  @Test func interpolatesBetweenPointsAndKeepsGaps() throws {
    // 9 plot columns: x 0, 1, 3 land on columns 0, 3 (2.67 rounded) and 8; rows 0 (y 2) and
    // 2 (y 0). Columns 1 and 2 interpolate y 1.33 and 0.67, both on row 1. The NaN at x = 2
    // breaks both segments next to it.
    let chart = try LineChart(
      x: [0, 1, 2, 3], series: [.init(name: "s", values: [2, 0, .nan, 2])])
    let style = TerminalStyle(color: false, unicode: false, width: 12)
    let expected = """
      2 +*       *
        | **
      0 +   *
        +---------
         0       3
      * s
      """
    #expect(chart.render(style: style, height: 3) == expected)
  }

  @Test func twoSeriesLegendAndColour() throws {
    let chart = try LineChart(
      title: "sensitivity", x: [0, 0.5],
      series: [
        .init(name: "conv1", values: [0.9, 0.8]), .init(name: "conv2", values: [0.9, 0.5]),
      ], xLabel: "ratio")
    let plain = chart.render(style: TerminalStyle(color: false, unicode: true, width: 40))
    #expect(plain.hasPrefix("sensitivity\n"))
    #expect(plain.hasSuffix("● conv1  ○ conv2"))
    #expect(plain.contains("ratio"))
    let colored = chart.render(style: TerminalStyle(color: true, unicode: true, width: 40))
    #expect(colored.contains("\u{1B}[38;5;33m●"))
    #expect(colored.contains("\u{1B}[38;5;196m○"))
  }

  @Test func invalidAndEmpty() throws {
    #expect(throws: RenderError.self) {
      try LineChart(x: [0, 1], series: [.init(name: "a", values: [1])])
    }
    #expect(throws: RenderError.self) {
      try LineChart(x: [1, 0], series: [])
    }
    let empty = try LineChart(x: [0, 1], series: [.init(name: "a", values: [.nan, .nan])])
    #expect(empty.render(style: .plain) == "(no values to plot)")
    _ = inspect(empty.svg())
  }

  @Test func svgSeriesAndPoints() throws {
    let chart = try LineChart(
      title: "acc <vs> ratio", x: [0, 0.25, 0.5, 0.75],
      series: [
        .init(name: "l1", values: [0.9, 0.88, 0.8, 0.6]),
        .init(name: "fpgm & co", values: [0.9, .nan, 0.82, 0.7]),
        .init(name: "single", values: [.nan, 0.5, .nan, .nan]),
      ], xLabel: "ratio", yLabel: "accuracy")
    let svg = inspect(chart.svg())
    // The third series has no two neighbouring finite points, so no path.
    #expect(svg.count("path", className: "series") == 2)
    #expect(svg.count("circle", className: "point") == 4 + 3 + 1)
    #expect(svg.elements("text", className: "legend").map(\.text) == ["l1", "fpgm & co", "single"])
  }
}
