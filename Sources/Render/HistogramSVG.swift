extension Histogram {
  /// The histogram as an SVG document: one `rect` of class `bar` per bin, the Gaussian as a
  /// `path` of class `gaussian` (density × count × bin width) when one is given, and axes
  /// labelled with the count and value ranges.
  public func svg(width: Double = 480, height: Double = 300) -> String {
    let chartWidth = max(160, width.isFinite ? width : 480)
    let chartHeight = max(120, height.isFinite ? height : 300)
    var svg = SVGDocument(width: chartWidth, height: chartHeight)
    let top = title == nil ? 14.0 : 34.0
    let left = 56.0
    let right = 16.0
    let bottom = 44.0
    let plotWidth = chartWidth - left - right
    let plotHeight = chartHeight - top - bottom
    if let title { svg.text(title, x: 10, y: 20, size: 14, bold: true, className: "title") }

    let low = edges[0]
    let high = edges[edges.count - 1]
    let binWidth = (high - low) / Double(counts.count)
    let curve: [(x: Double, y: Double)]
    if let gaussian, gaussian.isDrawable, total > 0 {
      curve = (0...120).map { step in
        let x = low + (high - low) * Double(step) / 120
        return (x, gaussian.density(x) * Double(total) * binWidth)
      }
    } else {
      curve = []
    }
    let peak = max(Double(counts.max() ?? 0), curve.map(\.y).max() ?? 0, 1)
    func px(_ x: Double) -> Double { left + (x - low) / (high - low) * plotWidth }
    func py(_ y: Double) -> Double { top + plotHeight - y / peak * plotHeight }

    for (index, count) in counts.enumerated() {
      let x0 = px(edges[index])
      let x1 = px(edges[index + 1])
      let label =
        "[\(NumberFormat.short(edges[index])), \(NumberFormat.short(edges[index + 1]))]: \(count)"
      svg.rect(
        x: x0, y: py(Double(count)), width: max(0, x1 - x0 - 1), height: py(0) - py(Double(count)),
        fill: "#4f7cbf", className: "bar", tooltip: label)
    }
    if !curve.isEmpty {
      svg.path(
        subpaths: [curve.map { (px($0.x), py($0.y)) }], stroke: "#d62728", strokeWidth: 2,
        className: "gaussian")
    }
    svg.line(x1: left, y1: top + plotHeight, x2: left + plotWidth, y2: top + plotHeight)
    svg.line(x1: left, y1: top, x2: left, y2: top + plotHeight)
    svg.text("0", x: left - 6, y: top + plotHeight + 4, size: 11, anchor: .end)
    svg.text(NumberFormat.short(peak), x: left - 6, y: top + 4, size: 11, anchor: .end)
    svg.text(NumberFormat.short(low), x: left, y: top + plotHeight + 16, size: 11)
    svg.text(
      NumberFormat.short(high), x: left + plotWidth, y: top + plotHeight + 16, size: 11,
      anchor: .end)
    var caption = "n = \(NumberFormat.grouped(total))"
    if let xLabel { caption = xLabel + "   " + caption }
    if let gaussian, gaussian.isDrawable {
      caption += "   N(μ=\(NumberFormat.short(gaussian.mean)), "
      caption += "σ=\(NumberFormat.short(gaussian.standardDeviation)))"
    }
    svg.text(
      caption, x: left + plotWidth / 2, y: chartHeight - 10, size: 11, anchor: .middle,
      className: "caption")
    return svg.render()
  }
}
