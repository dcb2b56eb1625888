extension BarChart {
  /// The chart as an SVG document: one `rect` of class `bar` per finite value, a `line` of
  /// class `reference` per finite reference, labels on the left and values at the bar ends.
  public func svg(width: Double = 480, barHeight: Double = 18) -> String {
    let chartWidth = max(200, width.isFinite ? width : 480)
    let rowHeight = max(8, barHeight.isFinite ? barHeight : 18) + 6
    let labelWidth = (bars.map { SVGDocument.textWidth($0.label, size: 12) }.max() ?? 0) + 16
    let valueWidth = 56.0
    let top = title == nil ? 12.0 : 34.0
    let legendHeight = hasReferences ? 24.0 : 0
    let chartHeight = top + Double(bars.count) * rowHeight + legendHeight + 12
    var svg = SVGDocument(width: chartWidth, height: chartHeight)
    if let title { svg.text(title, x: 10, y: 20, size: 14, bold: true, className: "title") }

    let left = labelWidth
    let plotWidth = max(40, chartWidth - left - valueWidth - 10)
    let (low, high) = domain()
    func px(_ value: Double) -> Double { left + (value - low) / (high - low) * plotWidth }

    for (index, bar) in bars.enumerated() {
      let y = top + Double(index) * rowHeight
      let middle = y + rowHeight / 2
      svg.text(
        bar.label, x: left - 8, y: middle + 4, size: 12, anchor: .end, className: "label")
      let valueText = NumberFormat.label(bar.value, decimals: decimals)
      var tooltip = "\(bar.label): \(valueText)"
      if let reference = bar.reference {
        tooltip +=
          " (\(referenceName ?? "reference") \(NumberFormat.label(reference, decimals: decimals)))"
      }
      if bar.value.isFinite {
        let x0 = min(px(0), px(bar.value))
        let x1 = max(px(0), px(bar.value))
        svg.rect(
          x: x0, y: y + 3, width: x1 - x0, height: rowHeight - 6, fill: "#4f7cbf",
          className: "bar", tooltip: tooltip)
      }
      svg.text(
        valueText, x: (bar.value.isFinite ? max(px(0), px(bar.value)) : px(0)) + 4,
        y: middle + 4, size: 11, className: "value")
      if let reference = bar.reference, reference.isFinite {
        svg.line(
          x1: px(reference), y1: y + 1, x2: px(reference), y2: y + rowHeight - 1,
          stroke: "#d62728", strokeWidth: 2.5, className: "reference")
      }
    }
    svg.line(x1: px(0), y1: top, x2: px(0), y2: top + Double(bars.count) * rowHeight)
    if hasReferences {
      let y = top + Double(bars.count) * rowHeight + 16
      svg.line(x1: left, y1: y - 10, x2: left, y2: y + 2, stroke: "#d62728", strokeWidth: 2.5)
      svg.text(referenceName ?? "reference", x: left + 8, y: y, size: 11, className: "legend")
    }
    return svg.render()
  }
}
