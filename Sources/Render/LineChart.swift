/// A few series over a shared x, such as sensitivity curves (accuracy against pruning ratio,
/// one series per layer): a small character plot with a legend, or SVG.
///
/// ```swift
/// let chart = try LineChart(title: "sensitivity", x: [0, 0.25, 0.5],
///                           series: [.init(name: "conv1", values: [0.91, 0.9, 0.82])])
/// print(chart.render(style: style, height: 10))
/// ```
public struct LineChart: Sendable, Equatable {
  /// One named series, a y value per x (NaN leaves a gap).
  public struct Series: Sendable, Equatable {
    /// The name shown in the legend.
    public var name: String
    /// One value per x.
    public var values: [Double]

    /// Creates a series.
    public init(name: String, values: [Double]) {
      self.name = name
      self.values = values
    }
  }

  /// A line drawn above the chart, or nil.
  public var title: String?
  /// The shared x values, increasing.
  public internal(set) var x: [Double]
  /// The series.
  public internal(set) var series: [Series]
  /// A name for the x axis, or nil.
  public internal(set) var xLabel: String?
  /// A name for the y axis, or nil.
  public internal(set) var yLabel: String?

  /// Creates a chart; throws when a series does not have one value per x, or x is not
  /// increasing.
  public init(
    title: String? = nil, x: [Double], series: [Series], xLabel: String? = nil,
    yLabel: String? = nil
  ) throws(RenderError) {
    for item in series where item.values.count != x.count {
      throw .shapeMismatch(what: "series \(item.name)", expected: x.count, got: item.values.count)
    }
    for index in x.indices.dropFirst() where !(x[index] > x[index - 1]) {
      throw .invalidParameter(
        name: "x[\(index)]", value: "\(x[index])",
        expected: "greater than x[\(index - 1)] (\(x[index - 1])): x must increase")
    }
    self.title = title
    self.x = x
    self.series = series
    self.xLabel = xLabel
    self.yLabel = yLabel
  }

  /// ANSI 256-colour foregrounds, one per series (cycled).
  static let terminalColors = [33, 196, 34, 208, 129, 244]
  /// SVG colours, one per series (cycled).
  static let svgColors = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#7f7f7f"]

  /// The x range and the y range of the finite values; nil when nothing is drawable.
  func ranges() -> (xLow: Double, xHigh: Double, yLow: Double, yHigh: Double)? {
    let finiteX = x.filter(\.isFinite)
    let ys = series.flatMap { item in
      item.values.indices.filter { x[$0].isFinite }.map { item.values[$0] }
    }.filter(\.isFinite)
    guard let xLow = finiteX.min(), let xHigh = finiteX.max(), var yLow = ys.min(),
      var yHigh = ys.max()
    else { return nil }
    if yLow == yHigh {
      yLow -= 0.5
      yHigh += 0.5
    }
    return (xLow, xHigh, yLow, yHigh)
  }

  /// The chart as lines of text (without a final newline): `height` plot rows with the y range
  /// on the left, an x axis with its range, and a legend naming each series' marker.
  public func render(style: TerminalStyle, height: Int = 10) -> String {
    let glyphs = Glyphs.forUnicode(style.unicode)
    var lines: [String] = []
    if let title { lines.append(title) }
    guard let (xLow, xHigh, yLow, yHigh) = ranges() else {
      lines.append("(no values to plot)")
      return lines.joined(separator: "\n")
    }
    let rows = max(2, height)
    let middleRow = (rows - 1) / 2
    let middleValue = yHigh - (yHigh - yLow) * Double(middleRow) / Double(rows - 1)
    var rowLabels = [Int: String]()
    rowLabels[0] = NumberFormat.short(yHigh)
    rowLabels[rows - 1] = NumberFormat.short(yLow)
    if rows >= 5 { rowLabels[middleRow] = NumberFormat.short(middleValue) }
    let labelWidth = rowLabels.values.map(\.count).max() ?? 1
    let plotWidth = max(4, style.width - labelWidth - 2)

    var grid = [[Int?]](repeating: [Int?](repeating: nil, count: plotWidth), count: rows)
    func column(_ value: Double) -> Int {
      xHigh > xLow
        ? Int(((value - xLow) / (xHigh - xLow) * Double(plotWidth - 1)).rounded()) : plotWidth / 2
    }
    func row(_ value: Double) -> Int {
      let t = (yHigh - value) / (yHigh - yLow)
      return max(0, min(rows - 1, Int((t * Double(rows - 1)).rounded())))
    }
    for (seriesIndex, item) in series.enumerated() {
      let points = x.indices.filter { x[$0].isFinite && item.values[$0].isFinite }
      for point in points {
        grid[row(item.values[point])][column(x[point])] = seriesIndex
      }
      // Fill the columns between neighbouring finite points by linear interpolation.
      for index in x.indices.dropLast() {
        let (x0, x1) = (x[index], x[index + 1])
        let (y0, y1) = (item.values[index], item.values[index + 1])
        guard x0.isFinite, x1.isFinite, y0.isFinite, y1.isFinite else { continue }
        let (c0, c1) = (column(x0), column(x1))
        guard c1 - c0 > 1 else { continue }
        for c in (c0 + 1)..<c1 {
          let t = Double(c - c0) / Double(c1 - c0)
          grid[row(y0 + (y1 - y0) * t)][c] = seriesIndex
        }
      }
    }

    func marker(_ seriesIndex: Int) -> String {
      let glyph = String(glyphs.seriesMarkers[seriesIndex % glyphs.seriesMarkers.count])
      let color = Self.terminalColors[seriesIndex % Self.terminalColors.count]
      return ANSI.colored(glyph, foreground: color, enabled: style.color)
    }
    if let yLabel { lines.append(yLabel) }
    for rowIndex in 0..<rows {
      var line = TextLayout.padLeft(rowLabels[rowIndex] ?? "", labelWidth) + " "
      line.append(rowLabels[rowIndex] == nil ? glyphs.vertical : glyphs.yTick)
      for cell in grid[rowIndex] {
        line += cell.map(marker) ?? " "
      }
      lines.append(TextLayout.trimTrailing(line))
    }
    var axis = String(repeating: " ", count: labelWidth + 1)
    axis.append(glyphs.origin)
    lines.append(axis + TextLayout.repeated(glyphs.horizontal, plotWidth))
    let low = NumberFormat.short(xLow)
    let high = NumberFormat.short(xHigh)
    var xLine = String(repeating: " ", count: labelWidth + 2) + low
    if let xLabel, low.count + xLabel.count + high.count + 2 <= plotWidth {
      let room = plotWidth - low.count - high.count
      xLine += TextLayout.center(xLabel, room) + high
    } else {
      xLine += TextLayout.padLeft(high, max(high.count + 1, plotWidth - low.count))
    }
    lines.append(xLine)
    let legend = series.indices.map { "\(marker($0)) \(series[$0].name)" }
    if !legend.isEmpty { lines.append(legend.joined(separator: "  ")) }
    return lines.joined(separator: "\n")
  }
}
