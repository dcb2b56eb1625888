/// A table of text cells with headers, a header rule, an optional title, and numeric columns
/// right-aligned; drawn with Unicode box-drawing characters or plain ASCII.
///
/// ```swift
/// var table = Table(title: "Pruning", columns: [.text("layer"), .numeric("ratio")])
/// table.addRow(["conv1", NumberFormat.percent(0.25)])
/// print(table.render(style: .plain))
/// // Pruning
/// // +-------+-------+
/// // | layer | ratio |
/// // +-------+-------+
/// // | conv1 | 25.0% |
/// // +-------+-------+
/// ```
public struct Table: Sendable, Equatable {
  /// How a column's cells are aligned.
  public enum Alignment: Sendable, Equatable {
    /// Left-aligned (text).
    case left
    /// Right-aligned (numbers).
    case right
  }

  /// One column: its header and alignment.
  public struct Column: Sendable, Equatable {
    /// The header text.
    public var header: String
    /// How the header and cells are aligned.
    public internal(set) var alignment: Alignment

    /// Creates a column.
    public init(header: String, alignment: Alignment) {
      self.header = header
      self.alignment = alignment
    }

    /// A left-aligned text column.
    public static func text(_ header: String) -> Column { Column(header: header, alignment: .left) }

    /// A right-aligned numeric column.
    public static func numeric(_ header: String) -> Column {
      Column(header: header, alignment: .right)
    }
  }

  /// A line drawn above the table, or nil.
  public var title: String?
  /// The columns, left to right.
  public var columns: [Column]
  /// The rows; a row with fewer cells than columns is padded with blanks, extra cells are
  /// not drawn.
  public var rows: [[String]]

  /// Creates a table.
  public init(title: String? = nil, columns: [Column], rows: [[String]] = []) {
    self.title = title
    self.columns = columns
    self.rows = rows
  }

  /// Appends a row of already formatted cells.
  public mutating func addRow(_ cells: [String]) {
    rows.append(cells)
  }

  /// The cells of row `index`, padded or cut to the number of columns.
  func cells(ofRow index: Int) -> [String] {
    let row = rows[index]
    return columns.indices.map { $0 < row.count ? row[$0] : "" }
  }

  /// The natural width of each column (its widest header or cell).
  func naturalWidths() -> [Int] {
    columns.indices.map { column in
      rows.indices.reduce(columns[column].header.count) { widest, row in
        max(widest, cells(ofRow: row)[column].count)
      }
    }
  }

  /// The table as lines of text (without a final newline).
  ///
  /// When the table is wider than `style.width`, left-aligned columns are cut (ending in `…`
  /// or `~`), widest first, down to 3 columns each; numbers are never cut. The header is bold
  /// when colour is on.
  public func render(style: TerminalStyle) -> String {
    let glyphs = Glyphs.forUnicode(style.unicode)
    var lines: [String] = []
    if let title { lines.append(ANSI.bolded(title, enabled: style.color)) }
    guard !columns.isEmpty else {
      lines.append("(no columns)")
      return lines.joined(separator: "\n")
    }
    let widths = fittedWidths(totalWidth: style.width)

    func rule(_ left: Character, _ mid: Character, _ right: Character) -> String {
      var line = String(left)
      for (index, width) in widths.enumerated() {
        line += TextLayout.repeated(glyphs.horizontal, width + 2)
        line.append(index == widths.count - 1 ? right : mid)
      }
      return line
    }

    func line(_ cells: [String], bold: Bool) -> String {
      var line = String(glyphs.vertical)
      for (index, cell) in cells.enumerated() {
        let cut = TextLayout.truncate(cell, widths[index], unicode: style.unicode)
        let padded =
          columns[index].alignment == .right
          ? TextLayout.padLeft(cut, widths[index]) : TextLayout.padRight(cut, widths[index])
        line += " " + ANSI.bolded(padded, enabled: bold && style.color) + " "
        line.append(glyphs.vertical)
      }
      return line
    }

    lines.append(rule(glyphs.topLeft, glyphs.topMid, glyphs.topRight))
    lines.append(line(columns.map(\.header), bold: true))
    lines.append(rule(glyphs.midLeft, glyphs.cross, glyphs.midRight))
    for row in rows.indices {
      lines.append(line(cells(ofRow: row), bold: false))
    }
    lines.append(rule(glyphs.bottomLeft, glyphs.bottomMid, glyphs.bottomRight))
    return lines.joined(separator: "\n")
  }

  /// Column widths that fit `totalWidth` where possible by narrowing text columns.
  func fittedWidths(totalWidth: Int) -> [Int] {
    var widths = naturalWidths()
    // Each column takes its width plus two spaces and one rule; plus the leading rule.
    func total() -> Int { widths.reduce(1) { $0 + $1 + 3 } }
    while total() > totalWidth {
      let candidates = widths.indices.filter { columns[$0].alignment == .left && widths[$0] > 3 }
      guard let widest = candidates.max(by: { widths[$0] < widths[$1] }) else { break }
      widths[widest] -= 1
    }
    return widths
  }
}
