/// Horizontal labelled bars with their values printed in a column after the bars, and an
/// optional reference value per bar (for instance a CWDA prediction) drawn as a marker.
///
/// ```swift
/// let chart = BarChart(title: "pruning ratio", bars: [
///   .init(label: "conv1", value: 0.25, reference: 0.3),
///   .init(label: "conv2", value: 0.5),
/// ], referenceName: "CWDA prediction")
/// print(chart.render(style: .plain))
/// ```
public struct BarChart: Sendable, Equatable {
  /// One bar.
  public struct Bar: Sendable, Equatable {
    /// The label drawn left of the bar.
    public var label: String
    /// The bar's value (NaN draws no bar and `n/a`).
    public var value: Double
    /// A second value drawn as a marker on the bar's line, or nil.
    public internal(set) var reference: Double?

    /// Creates a bar.
    public init(label: String, value: Double, reference: Double? = nil) {
      self.label = label
      self.value = value
      self.reference = reference
    }
  }

  /// A line drawn above the chart, or nil.
  public var title: String?
  /// The bars, top to bottom.
  public internal(set) var bars: [Bar]
  /// Digits after the point for the printed values.
  public internal(set) var decimals: Int
  /// What the reference markers mean, for the legend ("reference" when nil).
  var referenceName: String?

  /// Creates a chart from bars.
  public init(
    title: String? = nil, bars: [Bar], decimals: Int = 2, referenceName: String? = nil
  ) {
    self.title = title
    self.bars = bars
    self.decimals = decimals
    self.referenceName = referenceName
  }

  /// Creates a chart from parallel lists; throws when their lengths differ.
  public init(
    title: String? = nil, labels: [String], values: [Double], references: [Double]? = nil,
    decimals: Int = 2, referenceName: String? = nil
  ) throws(RenderError) {
    guard values.count == labels.count else {
      throw .shapeMismatch(what: "bar chart values", expected: labels.count, got: values.count)
    }
    if let references, references.count != labels.count {
      throw .shapeMismatch(
        what: "bar chart references", expected: labels.count, got: references.count)
    }
    let bars = labels.indices.map {
      Bar(label: labels[$0], value: values[$0], reference: references?[$0])
    }
    self.init(title: title, bars: bars, decimals: decimals, referenceName: referenceName)
  }

  /// Whether any bar has a reference value.
  var hasReferences: Bool { bars.contains { $0.reference != nil } }

  /// The value range the bars span: always includes 0; nil when no value is finite.
  func domain() -> (low: Double, high: Double) {
    var finite = bars.map(\.value).filter(\.isFinite)
    finite += bars.compactMap(\.reference).filter(\.isFinite)
    let low = min(0, finite.min() ?? 0)
    var high = max(0, finite.max() ?? 0)
    if high == low { high = low + 1 }
    return (low, high)
  }

  /// The chart as lines of text (without a final newline): label, bar, value, and when
  /// references are present the marker's value and a legend line.
  public func render(style: TerminalStyle) -> String {
    let glyphs = Glyphs.forUnicode(style.unicode)
    var lines: [String] = []
    if let title { lines.append(title) }
    guard !bars.isEmpty else {
      lines.append("(no bars)")
      return lines.joined(separator: "\n")
    }
    let labelWidth = min(bars.map(\.label.count).max() ?? 0, max(8, style.width / 3))
    let valueTexts = bars.map { NumberFormat.label($0.value, decimals: decimals) }
    let valueWidth = valueTexts.map(\.count).max() ?? 0
    let referenceTexts = bars.map { bar in
      bar.reference.map {
        "\(glyphs.referenceMarker) " + NumberFormat.label($0, decimals: decimals)
      }
        ?? ""
    }
    let referenceWidth = referenceTexts.map(\.count).max() ?? 0
    let extra = referenceWidth > 0 ? referenceWidth + 2 : 0
    let barWidth = max(5, style.width - labelWidth - valueWidth - 2 - extra)
    let (low, high) = domain()
    func position(_ value: Double) -> Double { (value - low) / (high - low) * Double(barWidth) }
    let zero = Int(position(0).rounded())

    for (index, bar) in bars.enumerated() {
      var cells = [Character](repeating: " ", count: barWidth)
      if bar.value.isFinite {
        if bar.value >= 0 {
          let drawn = Array(glyphs.horizontalBar(position(bar.value) - Double(zero)))
          for (offset, cell) in drawn.enumerated() where zero + offset < barWidth {
            cells[zero + offset] = cell
          }
        } else {
          let start = max(0, Int(position(bar.value).rounded()))
          for column in start..<zero { cells[column] = glyphs.horizontalEighths[8] }
        }
      }
      var markerColumn: Int?
      if let reference = bar.reference, reference.isFinite {
        let column = max(0, min(barWidth - 1, Int(position(reference))))
        cells[column] = glyphs.referenceMarker
        markerColumn = column
      }
      var drawn = ""
      for (column, cell) in cells.enumerated() {
        let color = column == markerColumn ? 196 : 33
        drawn += ANSI.colored(String(cell), foreground: color, enabled: style.color && cell != " ")
      }
      var line =
        TextLayout.padRight(
          TextLayout.truncate(bar.label, labelWidth, unicode: style.unicode), labelWidth)
        + " " + drawn + " " + TextLayout.padLeft(valueTexts[index], valueWidth)
      if !referenceTexts[index].isEmpty { line += "  " + referenceTexts[index] }
      lines.append(TextLayout.trimTrailing(line))
    }
    if hasReferences {
      let marker = ANSI.colored(
        String(glyphs.referenceMarker), foreground: 196, enabled: style.color)
      lines.append("\(marker) = \(referenceName ?? "reference")")
    }
    return lines.joined(separator: "\n")
  }
}
