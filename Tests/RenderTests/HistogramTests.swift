import Testing

@testable import Render

@Suite struct HistogramTests {
  let values: [Double] = [0, 1, 1, 2, 2, 2, 3, 3, 3, 3]

  @Test func binsLikeNumpy() throws {
    // numpy.histogram([0,1,1,2,2,2,3,3,3,3], bins=4) -> [1 2 3 4], edges [0 .75 1.5 2.25 3]
    let histogram = try Histogram(values: values, bins: 4)
    #expect(histogram.counts == [1, 2, 3, 4])
    #expect(histogram.edges == [0, 0.75, 1.5, 2.25, 3])
    #expect(histogram.skipped == 0)
    // numpy.histogram([0.5], bins=2) -> [0 1], edges [0 .5 1]: a single value is widened.
    let single = try Histogram(values: [0.5], bins: 2)
    #expect(single.counts == [0, 1])
    #expect(single.edges == [0, 0.5, 1])
  }

  @Test func rangeAndNonFiniteValuesAreSkipped() throws {
    let histogram = try Histogram(values: [-5, 0.1, 0.9, .nan, .infinity], bins: 2, range: 0...1)
    #expect(histogram.counts == [1, 1])
    #expect(histogram.skipped == 3)
  }

  @Test func verticalASCIIGolden() throws {
    let histogram = try Histogram(values: values, bins: 4)
    let expected = """
      4 +      ##
        |    ####
        |  ######
        |########
      0 +--------
         0      3
      n = 10
      """
    let style = TerminalStyle(color: false, unicode: false, width: 14)
    #expect(histogram.render(style: style, height: 4) == expected)
  }

  @Test func verticalUnicodeUsesEighths() throws {
    // Counts [1, 2] on 1 row: the first bar is half a row (4/8 -> '▄'), the second full.
    let histogram = try Histogram(edges: [0, 1, 2], counts: [1, 2])
    let style = TerminalStyle(color: false, unicode: true, width: 6)
    #expect(histogram.render(style: style, height: 1) == "2 ┤▄█\n0 └──\n   0 … 2\nn = 3")
  }

  @Test func horizontalGolden() throws {
    let histogram = try Histogram(values: values, bins: 4)
    // Labels 11 wide, counts 1 wide: bar width 20 - 11 - 1 - 2 = 6; count 4 fills it, and in
    // ASCII half a cell or more rounds up (count 1 -> 1.5 cells -> 2, count 3 -> 4.5 -> 5).
    let expected = """
      [0, 0.75)   ##     1
      [0.75, 1.5) ###    2
      [1.5, 2.25) #####  3
      [2.25, 3]   ###### 4
      n = 10
      """
    let style = TerminalStyle(color: false, unicode: false, width: 20)
    #expect(histogram.render(style: style, orientation: .horizontal) == expected)
  }

  @Test func gaussianExpectedCounts() throws {
    let histogram = try Histogram(
      values: values, bins: 4, gaussian: GaussianCurve(mean: 2, standardDeviation: 1))
    // scipy: 10 * (norm.cdf(e[1:], 2, 1) - norm.cdf(e[:-1], 2, 1))
    let reference = [
      0.8289964171867615, 2.0288776505913155, 2.9016878695693684,
      2.426384203856192,
    ]
    let expected = try #require(histogram.expectedCounts())
    for (got, want) in zip(expected, reference) { #expect(abs(got - want) < 1e-9) }
    #expect(try Histogram(values: values, bins: 4).expectedCounts() == nil)
    let flat = try Histogram(
      values: values, bins: 4, gaussian: GaussianCurve(mean: 0, standardDeviation: 0))
    #expect(flat.expectedCounts() == nil)
  }

  @Test func gaussianMarkersInTerminal() throws {
    let histogram = try Histogram(
      values: values, bins: 4, gaussian: GaussianCurve(mean: 2, standardDeviation: 1))
    let style = TerminalStyle(color: false, unicode: false, width: 14)
    // Expected counts 0.83, 2.03, 2.90, 2.43 on 4 rows of one count: rows 0, 2, 2, 2 from
    // the bottom; markers in the second column of each 2-column bin, over the bars.
    let expected = """
      4 +      ##
        |   *#*#*
        |  ######
        |#*######
      0 +--------
         0      3
      n = 10  * normal(mean=2, sd=1)
      """
    #expect(histogram.render(style: style, height: 4) == expected)
    let colored = histogram.render(style: TerminalStyle(color: true, unicode: true, width: 14))
    #expect(colored.contains("\u{1B}[38;5;196m•"))
    #expect(colored.contains("N(μ=2, σ=1)"))
  }

  @Test func emptyAndAllNaN() throws {
    let empty = try Histogram(values: [], bins: 3, title: "w")
    #expect(empty.render(style: .plain) == "w\n(no values to count)")
    let nans = try Histogram(values: [.nan, .nan], bins: 3)
    #expect(nans.skipped == 2)
    #expect(nans.render(style: .plain) == "(no values to count)\nn = 0 (2 not counted)")
    _ = inspect(nans.svg())
    #expect(throws: RenderError.self) { try Histogram(values: [1], bins: 0) }
    #expect(throws: RenderError.self) { try Histogram(edges: [0, 1], counts: [1, 2]) }
    #expect(throws: RenderError.self) { try Histogram(edges: [0, 0], counts: [1]) }
  }

  @Test func svgBarsAndGaussianPath() throws {
    let withCurve = try Histogram(
      values: values, bins: 4, title: "<weights>",
      gaussian: GaussianCurve(mean: 2, standardDeviation: 1))
    let svg = inspect(withCurve.svg())
    #expect(svg.count("rect", className: "bar") == 4)
    #expect(svg.count("path", className: "gaussian") == 1)
    #expect(svg.elements("text", className: "title").first?.text == "<weights>")
    let plain = inspect(try Histogram(values: values, bins: 7).svg())
    #expect(plain.count("rect", className: "bar") == 7)
    #expect(plain.count("path") == 0)
  }
}
