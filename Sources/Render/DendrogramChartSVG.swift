extension DendrogramChart {
  /// The dendrogram as an SVG document: a row per item (labels on the left, class
  /// `leaf-label`), heights growing to the right on an axis from 0 to ``top`` (class `axis`,
  /// ticks `tick-label`), and per merge one bracket (a `path` of class `merge`) from the two
  /// clusters to the merge's height, joined at the clusters' mid rows. Each merge carries
  /// `data-order` (from 1), `data-height` and `data-members` (`a+b|c`: the two sides' labels)
  /// and its caption as a tooltip.
  public func svg(rowHeight: Double = 24, plotWidth: Double = 360) -> String {
    let row = max(12, rowHeight.isFinite ? rowHeight : 24)
    let width = max(120, plotWidth.isFinite ? plotWidth : 360)
    let order = leafOrder
    let labelFont = 12.0
    let labelWidth = labels.map { SVGDocument.textWidth($0, size: labelFont) }.max() ?? 0
    let titleHeight = title == nil ? 10.0 : 30.0
    let left = 10 + labelWidth + 10
    let top = titleHeight + 6
    let plotHeight = Double(max(order.count, 1)) * row
    let axisY = top + plotHeight + 6
    let totalWidth = left + width + 40
    let totalHeight = axisY + 44

    var svg = SVGDocument(width: totalWidth, height: totalHeight)
    if let title { svg.text(title, x: 10, y: 20, size: 14, bold: true, className: "title") }

    func x(_ h: Double) -> Double { left + h / self.top * width }
    var position: [[Int]: (x: Double, y: Double)] = [:]
    for (r, leaf) in order.enumerated() {
      let y = top + (Double(r) + 0.5) * row
      position[[leaf]] = (left, y)
      svg.text(
        labels[leaf], x: left - 8, y: y + labelFont * 0.35, size: labelFont, anchor: .end,
        className: "leaf-label")
    }
    for (k, m) in merges.enumerated() {
      guard let a = position[m.left], let b = position[m.right] else { continue }
      let xm = x(m.height)
      let d =
        "M\(SVGDocument.number(a.x)) \(SVGDocument.number(a.y)) "
        + "L\(SVGDocument.number(xm)) \(SVGDocument.number(a.y)) "
        + "L\(SVGDocument.number(xm)) \(SVGDocument.number(b.y)) "
        + "L\(SVGDocument.number(b.x)) \(SVGDocument.number(b.y))"
      let members =
        m.left.map { labels[$0] }.joined(separator: "+") + "|"
        + m.right.map { labels[$0] }.joined(separator: "+")
      svg.element(
        "path",
        attributes: [
          ("d", d), ("fill", "none"), ("stroke", "#1f77b4"), ("stroke-width", "1.5"),
          ("class", "merge"), ("data-order", String(k + 1)),
          ("data-height", NumberFormat.trimmingZeros(NumberFormat.fixed(m.height, decimals: 6))),
          ("data-members", members),
        ],
        tooltip: m.caption ?? "\(members) at \(NumberFormat.short(m.height))")
      position[(m.left + m.right).sorted()] = (xm, (a.y + b.y) / 2)
    }

    // The height axis: 0 … top in quarters.
    svg.line(x1: left, y1: axisY, x2: left + width, y2: axisY, className: "axis")
    for q in 0...4 {
      let h = self.top * Double(q) / 4
      svg.line(x1: x(h), y1: axisY, x2: x(h), y2: axisY + 4, className: "tick")
      svg.text(
        NumberFormat.short(h), x: x(h), y: axisY + 16, size: 10, anchor: .middle,
        className: "tick-label")
    }
    svg.text(
      heightLabel, x: left + width / 2, y: axisY + 34, size: 11, anchor: .middle,
      className: "axis-label")
    return svg.render()
  }
}
