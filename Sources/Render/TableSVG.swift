extension Table {
  /// The table as an SVG document: a bold header row over a rule, then the rows, with numeric
  /// columns right-aligned; each cell is a `text` of class `cell` (headers of class `header`).
  public func svg(fontSize: Double = 12) -> String {
    let size = max(6, fontSize.isFinite ? fontSize : 12)
    let rowHeight = size * 1.7
    let padding = size * 0.8
    let widths = naturalWidths().map {
      SVGDocument.textWidth(String(repeating: "0", count: $0), size: size)
    }
    let tableWidth = widths.reduce(0) { $0 + $1 + 2 * padding }
    let top = title == nil ? 8.0 : size * 2.4
    let height = top + rowHeight * Double(rows.count + 1) + 8
    var svg = SVGDocument(width: tableWidth + 16, height: height)
    if let title {
      svg.text(title, x: 8, y: size * 1.5, size: size * 1.15, bold: true, className: "title")
    }

    func drawRow(_ cells: [String], y: Double, className: String) {
      var x = 8.0
      for (index, cell) in cells.enumerated() {
        let right = columns[index].alignment == .right
        svg.text(
          cell, x: right ? x + widths[index] + padding : x + padding, y: y, size: size,
          anchor: right ? .end : .start, bold: className == "header", className: className)
        x += widths[index] + 2 * padding
      }
    }
    drawRow(columns.map(\.header), y: top + rowHeight * 0.7, className: "header")
    svg.line(
      x1: 8, y1: top + rowHeight, x2: 8 + tableWidth, y2: top + rowHeight, className: "rule")
    for row in rows.indices {
      drawRow(cells(ofRow: row), y: top + rowHeight * (Double(row) + 1.7), className: "cell")
    }
    return svg.render()
  }
}
