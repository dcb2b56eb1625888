import Render
import Testing

@Suite struct BarChartTests {
  @Test func asciiGolden() throws {
    // Width 18 = label 2 + space + bar 10 + space + value 4.
    let chart = try BarChart(labels: ["a", "bb"], values: [1, 0.5])
    let style = TerminalStyle(color: false, unicode: false, width: 18)
    #expect(chart.render(style: style) == "a  ########## 1.00\nbb #####      0.50")
  }

  @Test func unicodeFractionalBars() {
    let chart = BarChart(
      title: "ratio", bars: [.init(label: "x", value: 1), .init(label: "y", value: 0.45)])
    let style = TerminalStyle(color: false, unicode: true, width: 17)
    // Bar width 17 - 1 - 4 - 2 = 10; 0.45 -> 4.5 cells -> four full blocks and a half.
    #expect(chart.render(style: style) == "ratio\nx ██████████ 1.00\ny ████▌      0.45")
  }

  @Test func referenceMarkersAndLegend() throws {
    let chart = try BarChart(
      labels: ["a", "bb"], values: [1, 0.5], references: [0.5, .nan],
      referenceName: "CWDA prediction")
    let style = TerminalStyle(color: false, unicode: false, width: 26)
    // References add "| 0.50" (6) and two spaces: bar width 26 - 2 - 4 - 2 - 8 = 10.
    let expected = """
      a  #####|#### 1.00  | 0.50
      bb #####      0.50  | n/a
      | = CWDA prediction
      """
    #expect(chart.render(style: style) == expected)
    let colored = chart.render(style: TerminalStyle(color: true, unicode: true, width: 26))
    #expect(colored.contains("\u{1B}[38;5;196m┃"))
  }

  @Test func negativeValuesGrowLeftOfZero() throws {
    let chart = try BarChart(labels: ["n", "p"], values: [-1, 1])
    let style = TerminalStyle(color: false, unicode: false, width: 18)
    #expect(chart.render(style: style) == "n #####      -1.00\np      #####  1.00")
  }

  @Test func nanAndEmpty() throws {
    let chart = try BarChart(labels: ["a", "b"], values: [.nan, 2])
    // Bar width 17 - 1 - 4 - 2 = 10; the NaN bar is blank and its value reads n/a.
    let style = TerminalStyle(color: false, unicode: false, width: 17)
    let blank = String(repeating: " ", count: 13)
    #expect(chart.render(style: style) == "a\(blank)n/a\nb ########## 2.00")
    #expect(BarChart(bars: []).render(style: .plain) == "(no bars)")
    #expect(throws: RenderError.self) { try BarChart(labels: ["a"], values: [1, 2]) }
    #expect(throws: RenderError.self) {
      try BarChart(labels: ["a"], values: [1], references: [])
    }
  }

  @Test func svgBarsAndReferences() throws {
    let chart = try BarChart(
      title: "CV & ratio", labels: ["conv<1>", "conv2", "conv3"], values: [0.3, .nan, 0.7],
      references: [0.4, 0.5, .nan], referenceName: "CWDA \"prediction\"")
    let svg = inspect(chart.svg())
    #expect(svg.count("rect", className: "bar") == 2)
    #expect(svg.count("line", className: "reference") == 2)
    #expect(svg.elements("text", className: "label").map(\.text) == ["conv<1>", "conv2", "conv3"])
    #expect(svg.elements("text", className: "value").map(\.text) == ["0.30", "n/a", "0.70"])
    #expect(svg.elements("text", className: "legend").first?.text == "CWDA \"prediction\"")
    _ = inspect(BarChart(bars: []).svg())
  }
}
