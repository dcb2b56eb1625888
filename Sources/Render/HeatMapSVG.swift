extension HeatMap {
  /// The heat map as an SVG document: labelled cells (class `cell`, or `cell-missing` for NaN)
  /// with their values, column labels turned 45°, and a colour legend (class `legend-step`)
  /// from the scale's minimum to its maximum.
  public func svg(cellSize: Double = 44) -> String {
    let size = max(12, cellSize.isFinite ? cellSize : 44)
    let font = min(12, size * 0.3)
    let labelFont = 12.0
    let rowLabelWidth = rowLabels.map { SVGDocument.textWidth($0, size: labelFont) }.max() ?? 0
    let columnLabelExtent =
      (columnLabels.map { SVGDocument.textWidth($0, size: labelFont) }.max() ?? 0) * 0.71
    let titleHeight = title == nil ? 10.0 : 30.0
    let left = 10 + rowLabelWidth + 8
    let top = titleHeight + columnLabelExtent + 12
    let gridWidth = Double(columnLabels.count) * size
    let gridHeight = Double(rowLabels.count) * size
    let legendHeight = max(gridHeight, 120)
    let legendX = left + gridWidth + 24
    let width = legendX + 16 + 8 + 60
    let height = top + max(gridHeight, legendHeight) + 16

    var svg = SVGDocument(width: width, height: height)
    if let title { svg.text(title, x: 10, y: 20, size: 14, bold: true, className: "title") }

    for (column, label) in columnLabels.enumerated() {
      let x = left + (Double(column) + 0.5) * size
      svg.text(label, x: x, y: top - 6, size: labelFont, rotation: -45, className: "column-label")
    }
    for (row, label) in rowLabels.enumerated() {
      let y = top + (Double(row) + 0.5) * size + labelFont * 0.35
      svg.text(label, x: left - 8, y: y, size: labelFont, anchor: .end, className: "row-label")
      for column in columnLabels.indices {
        let value = values[row][column]
        let x = left + Double(column) * size
        let cellY = top + Double(row) * size
        let text = Self.valueText(value)
        let tooltip = "\(label) × \(columnLabels[column]): \(text)"
        if let color = scale.color(for: value) {
          svg.rect(
            x: x, y: cellY, width: size, height: size, fill: color.hex, stroke: "#ffffff",
            className: "cell", tooltip: tooltip)
          svg.text(
            text, x: x + size / 2, y: cellY + size / 2 + font * 0.35, size: font,
            anchor: .middle, fill: color.contrastingText.hex, className: "value")
        } else {
          svg.rect(
            x: x, y: cellY, width: size, height: size, fill: "#ffffff", stroke: "#cccccc",
            className: "cell-missing", tooltip: tooltip)
          svg.text(
            text, x: x + size / 2, y: cellY + size / 2 + font * 0.35, size: font,
            anchor: .middle, fill: "#888888", className: "value")
        }
      }
    }

    // Legend: a vertical strip of steps, maximum at the top.
    let steps = 20
    let stepHeight = legendHeight / Double(steps)
    for step in 0..<steps {
      let fraction = 1 - (Double(step) + 0.5) / Double(steps)
      let value = scale.minimum + (scale.maximum - scale.minimum) * fraction
      let color = scale.color(for: value) ?? RGB(0, 0, 0)
      svg.rect(
        x: legendX, y: top + Double(step) * stepHeight, width: 16, height: stepHeight + 0.5,
        fill: color.hex, className: "legend-step")
    }
    let labelX = legendX + 16 + 4
    svg.text(
      NumberFormat.short(scale.maximum), x: labelX, y: top + 10, size: 10,
      className: "legend-label")
    svg.text(
      NumberFormat.short(scale.center), x: labelX, y: top + legendHeight / 2 + 4, size: 10,
      className: "legend-label")
    svg.text(
      NumberFormat.short(scale.minimum), x: labelX, y: top + legendHeight, size: 10,
      className: "legend-label")
    return svg.render()
  }
}
