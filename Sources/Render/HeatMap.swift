/// A labelled matrix of values drawn as coloured cells (terminal or SVG), such as the
/// criteria × criteria Spearman correlations of one layer, or per-layer values.
///
/// In colour mode each cell has a 256-colour background from the ``ColorScale`` and its value
/// to 2 decimals; without colour the values are printed in an aligned grid with a shade
/// character after each (` ░▒▓█`, or ` .:*#` in ASCII). NaN cells read `n/a`.
/// ```swift
/// let map = try HeatMap(labels: ["l1", "l2"], values: [[1, 0.9], [0.9, 1]])
/// print(map.render(style: .plain))
/// //      l1     l2
/// // l1  1.00#  0.90#
/// // l2  0.90#  1.00#
/// // shade by |value|: . >=0.2  : >=0.4  * >=0.6  # >=0.8
/// ```
public struct HeatMap: Sendable, Equatable {
  /// A line drawn above the map, or nil.
  public var title: String?
  /// One label per row.
  var rowLabels: [String]
  /// One label per column.
  var columnLabels: [String]
  /// The values, `values[row][column]`.
  public var values: [[Double]]
  /// How values map to colours and shades.
  public internal(set) var scale: ColorScale

  /// Creates a rectangular heat map; throws when the matrix does not match the labels.
  public init(
    title: String? = nil, rowLabels: [String], columnLabels: [String], values: [[Double]],
    scale: ColorScale = .correlation
  ) throws(RenderError) {
    guard values.count == rowLabels.count else {
      throw .shapeMismatch(what: "heat map rows", expected: rowLabels.count, got: values.count)
    }
    for (index, row) in values.enumerated() where row.count != columnLabels.count {
      throw .shapeMismatch(
        what: "heat map row \(index) (\(rowLabels[index]))", expected: columnLabels.count,
        got: row.count)
    }
    self.title = title
    self.rowLabels = rowLabels
    self.columnLabels = columnLabels
    self.values = values
    self.scale = scale
  }

  /// Creates a square heat map with the same labels on rows and columns.
  public init(
    title: String? = nil, labels: [String], values: [[Double]],
    scale: ColorScale = .correlation
  ) throws(RenderError) {
    try self.init(
      title: title, rowLabels: labels, columnLabels: labels, values: values, scale: scale)
  }

  /// Whether there is no cell to draw.
  public var isEmpty: Bool { rowLabels.isEmpty || columnLabels.isEmpty }

  /// The text of one cell's value: 2 decimals, or `n/a`.
  static func valueText(_ value: Double) -> String { NumberFormat.fixed(value, decimals: 2) }

  /// The heat map as lines of text (without a final newline), with a legend line.
  public func render(style: TerminalStyle) -> String {
    let glyphs = Glyphs.forUnicode(style.unicode)
    var lines: [String] = []
    if let title { lines.append(title) }
    guard !isEmpty else {
      lines.append("(empty)")
      return lines.joined(separator: "\n")
    }

    let valueWidth = values.joined().map { Self.valueText($0).count }.max() ?? 4
    let minimumCell = max(6, valueWidth + 1)
    let rowLabelWidth = min(rowLabels.map(\.count).max() ?? 0, max(8, style.width / 3))
    // A cell is its value right-aligned in `cellWidth - 1` columns, then a shade (or space);
    // column labels are right-aligned over the values.
    var cellWidth = max(minimumCell, (columnLabels.map(\.count).max() ?? 0) + 1)
    if rowLabelWidth + columnLabels.count * (cellWidth + 1) > style.width {
      cellWidth = minimumCell
    }

    var header = TextLayout.padRight("", rowLabelWidth)
    for label in columnLabels {
      let cut = TextLayout.truncate(label, cellWidth - 1, unicode: style.unicode)
      header += " " + TextLayout.padLeft(cut, cellWidth - 1) + " "
    }
    lines.append(TextLayout.trimTrailing(header))

    for (row, label) in rowLabels.enumerated() {
      var line = TextLayout.padRight(
        TextLayout.truncate(label, rowLabelWidth, unicode: style.unicode), rowLabelWidth)
      for value in values[row] {
        let text = TextLayout.padLeft(Self.valueText(value), cellWidth - 1)
        line += " "
        if style.color, let color = scale.color(for: value) {
          line += ANSI.background(color.ansi256) + ANSI.foreground(color.contrastingText.ansi256)
          line += text + " " + ANSI.reset
        } else if style.color {
          line += text + " "
        } else {
          let level = scale.shadeLevel(for: value) ?? 0
          line += text + String(glyphs.shades[level])
        }
      }
      lines.append(style.color ? line : TextLayout.trimTrailing(line))
    }
    lines.append(legend(style: style))
    return lines.joined(separator: "\n")
  }

  /// The legend line: a colour strip from minimum to maximum in colour mode, the shade
  /// thresholds otherwise.
  func legend(style: TerminalStyle) -> String {
    let low = NumberFormat.short(scale.minimum)
    let high = NumberFormat.short(scale.maximum)
    if style.color {
      let steps = 11
      var strip = ""
      for step in 0..<steps {
        let value =
          scale.minimum + (scale.maximum - scale.minimum) * Double(step)
          / Double(steps - 1)
        let color = scale.color(for: value) ?? RGB(0, 0, 0)
        strip += ANSI.background(color.ansi256) + "  "
      }
      strip += ANSI.reset
      let kind =
        scale.kind == .diverging
        ? "diverging, centre \(NumberFormat.short(scale.center))" : "sequential"
      return "scale: \(low) \(strip) \(high)  (\(kind))"
    }
    let glyphs = Glyphs.forUnicode(style.unicode)
    let atLeast = style.unicode ? "≥" : ">="
    var quantity = "value"
    var base = scale.minimum
    var step = (scale.maximum - scale.minimum) / Double(ColorScale.shadeLevels)
    if scale.kind == .diverging {
      quantity = scale.center == 0 ? "|value|" : "|value - \(NumberFormat.short(scale.center))|"
      base = 0
      step = (scale.maximum - scale.minimum) / 2 / Double(ColorScale.shadeLevels)
    }
    let thresholds = (1..<ColorScale.shadeLevels).map { level in
      "\(glyphs.shades[level]) \(atLeast)\(NumberFormat.short(base + step * Double(level)))"
    }
    return "shade by \(quantity): " + thresholds.joined(separator: "  ")
  }
}
