extension LineChart {
  /// The chart as an SVG document: one `path` of class `series` per series with at least two
  /// neighbouring finite points (broken at gaps), a `circle` of class `point` per finite value,
  /// axes with their ranges, and a legend.
  public func svg(width: Double = 480, height: Double = 300) -> String {
    let chartWidth = max(200, width.isFinite ? width : 480)
    let chartHeight = max(140, height.isFinite ? height : 300)
    var svg = SVGDocument(width: chartWidth, height: chartHeight)
    let top = title == nil ? 14.0 : 34.0
    let left = 56.0
    let right = 16.0
    let legendRows = Double((series.count + 2) / 3)
    let legendTop = xLabel == nil ? 34.0 : 52.0
    let bottom = legendTop + 6 + 18 * legendRows
    let plotWidth = chartWidth - left - right
    let plotHeight = max(20, chartHeight - top - bottom)
    if let title { svg.text(title, x: 10, y: 20, size: 14, bold: true, className: "title") }
    guard let (xLow, xHigh, yLow, yHigh) = ranges() else {
      svg.text(
        "no values to plot", x: chartWidth / 2, y: chartHeight / 2, anchor: .middle,
        className: "empty")
      return svg.render()
    }
    func px(_ value: Double) -> Double {
      xHigh > xLow ? left + (value - xLow) / (xHigh - xLow) * plotWidth : left + plotWidth / 2
    }
    func py(_ value: Double) -> Double { top + (yHigh - value) / (yHigh - yLow) * plotHeight }

    svg.line(x1: left, y1: top + plotHeight, x2: left + plotWidth, y2: top + plotHeight)
    svg.line(x1: left, y1: top, x2: left, y2: top + plotHeight)
    for step in 0...4 {
      let value = yLow + (yHigh - yLow) * Double(step) / 4
      let y = py(value)
      svg.line(
        x1: left, y1: y, x2: left + plotWidth, y2: y, stroke: "#e0e0e0", strokeWidth: 1,
        className: "grid")
      svg.text(NumberFormat.short(value), x: left - 6, y: y + 4, size: 11, anchor: .end)
    }
    svg.text(NumberFormat.short(xLow), x: left, y: top + plotHeight + 16, size: 11)
    svg.text(
      NumberFormat.short(xHigh), x: left + plotWidth, y: top + plotHeight + 16, size: 11,
      anchor: .end)
    if let xLabel {
      svg.text(
        xLabel, x: left + plotWidth / 2, y: top + plotHeight + 30, size: 12, anchor: .middle,
        className: "axis-label")
    }
    if let yLabel {
      svg.text(
        yLabel, x: 14, y: top + plotHeight / 2, size: 12, anchor: .middle, rotation: -90,
        className: "axis-label")
    }

    for (index, item) in series.enumerated() {
      let color = Self.svgColors[index % Self.svgColors.count]
      var subpaths: [[(x: Double, y: Double)]] = [[]]
      for point in x.indices {
        if x[point].isFinite && item.values[point].isFinite {
          subpaths[subpaths.count - 1].append((px(x[point]), py(item.values[point])))
        } else if !subpaths[subpaths.count - 1].isEmpty {
          subpaths.append([])
        }
      }
      svg.path(subpaths: subpaths, stroke: color, strokeWidth: 2, className: "series")
      for point in x.indices where x[point].isFinite && item.values[point].isFinite {
        svg.circle(
          cx: px(x[point]), cy: py(item.values[point]), r: 3, fill: color, className: "point",
          tooltip:
            "\(item.name): (\(NumberFormat.short(x[point])), \(NumberFormat.short(item.values[point])))"
        )
      }
      let legendX = left + Double(index % 3) * (plotWidth / 3)
      let legendY = top + plotHeight + legendTop + 18 * Double(index / 3)
      svg.line(
        x1: legendX, y1: legendY - 4, x2: legendX + 18, y2: legendY - 4, stroke: color,
        strokeWidth: 2)
      svg.text(item.name, x: legendX + 24, y: legendY, size: 11, className: "legend")
    }
    return svg.render()
  }
}
