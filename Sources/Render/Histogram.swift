/// Counts of values in bins, drawn as vertical or horizontal bars, with an optional Gaussian
/// (mean and σ given by the caller) overlaid as markers, and the value range on the axis.
///
/// ```swift
/// let histogram = try Histogram(values: weights, bins: 20,
///                               gaussian: GaussianCurve(mean: 0, standardDeviation: 0.05))
/// print(histogram.render(style: style))
/// ```
public struct Histogram: Sendable, Equatable {
  /// How bars are laid out in the terminal.
  public enum Orientation: Sendable, Equatable {
    /// One column per bin, bars growing upwards.
    case vertical
    /// One line per bin, bars growing to the right.
    case horizontal
  }

  /// A line drawn above the histogram, or nil.
  public var title: String?
  /// A name for the values (drawn under the axis), or nil.
  public internal(set) var xLabel: String?
  /// Bin edges, increasing: bin `i` is `[edges[i], edges[i+1])`, the last one closed.
  var edges: [Double]
  /// The count of each bin.
  public var counts: [Int]
  /// Values not counted: NaN, infinite, or outside the range asked for.
  public var skipped: Int
  /// A fitted normal distribution to overlay, or nil.
  public internal(set) var gaussian: GaussianCurve?

  /// Bins `values` into `bins` equal bins over `range` (by default the finite values' minimum
  /// to maximum, widened by 0.5 each side when they are all equal), as `numpy.histogram` does.
  public init(
    values: [Double], bins: Int = 20, range: ClosedRange<Double>? = nil, title: String? = nil,
    xLabel: String? = nil, gaussian: GaussianCurve? = nil
  ) throws(RenderError) {
    guard bins >= 1 else {
      throw .invalidParameter(name: "bins", value: "\(bins)", expected: "at least 1")
    }
    if let range, !(range.lowerBound.isFinite && range.upperBound.isFinite) {
      throw .invalidParameter(
        name: "range", value: "\(range)", expected: "finite at both ends")
    }
    let finite = values.filter(\.isFinite)
    var low = range?.lowerBound ?? finite.min() ?? 0
    var high = range?.upperBound ?? finite.max() ?? 1
    if low == high {
      low -= 0.5
      high += 0.5
    }
    var counts = [Int](repeating: 0, count: bins)
    var skipped = values.count - finite.count
    for value in finite {
      guard value >= low && value <= high else {
        skipped += 1
        continue
      }
      let index = min(bins - 1, Int((value - low) / (high - low) * Double(bins)))
      counts[index] += 1
    }
    self.title = title
    self.xLabel = xLabel
    self.edges = (0...bins).map { low + (high - low) * Double($0) / Double(bins) }
    self.edges[bins] = high
    self.counts = counts
    self.skipped = skipped
    self.gaussian = gaussian
  }

  /// Uses precomputed counts; `edges` must have one more entry than `counts` and increase.
  public init(
    edges: [Double], counts: [Int], skipped: Int = 0, title: String? = nil,
    xLabel: String? = nil, gaussian: GaussianCurve? = nil
  ) throws(RenderError) {
    guard edges.count == counts.count + 1 else {
      throw .shapeMismatch(what: "histogram edges", expected: counts.count + 1, got: edges.count)
    }
    for index in 1..<edges.count where !(edges[index] > edges[index - 1]) {
      throw .invalidParameter(
        name: "histogram edge \(index)", value: "\(edges[index])",
        expected: "finite and greater than edge \(index - 1) (\(edges[index - 1]))")
    }
    guard edges.allSatisfy(\.isFinite) else {
      throw .invalidParameter(name: "histogram edges", value: "\(edges)", expected: "finite")
    }
    guard counts.allSatisfy({ $0 >= 0 }) else {
      throw .invalidParameter(name: "histogram counts", value: "\(counts)", expected: "≥ 0")
    }
    self.title = title
    self.xLabel = xLabel
    self.edges = edges
    self.counts = counts
    self.skipped = skipped
    self.gaussian = gaussian
  }

  /// The number of values counted.
  public var total: Int { counts.reduce(0, +) }

  /// The count the Gaussian predicts in each bin (`total · (Φ(b) − Φ(a))`), or nil when there
  /// is no drawable curve.
  func expectedCounts() -> [Double]? {
    guard let gaussian, gaussian.isDrawable else { return nil }
    let n = Double(total)
    return counts.indices.map { index in
      n * (gaussian.cumulative(edges[index + 1]) - gaussian.cumulative(edges[index]))
    }
  }

  /// The footer: count, skipped values, and the curve's parameters.
  func footer(style: TerminalStyle) -> String {
    var parts: [String] = []
    if let xLabel { parts.append(xLabel) }
    var count = "n = \(NumberFormat.grouped(total))"
    if skipped > 0 { count += " (\(NumberFormat.grouped(skipped)) not counted)" }
    parts.append(count)
    if let gaussian, gaussian.isDrawable {
      let glyphs = Glyphs.forUnicode(style.unicode)
      let mean = NumberFormat.short(gaussian.mean)
      let sigma = NumberFormat.short(gaussian.standardDeviation)
      let marker = ANSI.colored(String(glyphs.curveMarker), foreground: 196, enabled: style.color)
      parts.append(
        style.unicode
          ? "\(marker) N(μ=\(mean), σ=\(sigma))" : "\(marker) normal(mean=\(mean), sd=\(sigma))")
    }
    return parts.joined(separator: "  ")
  }

  /// The histogram as lines of text (without a final newline); `height` is the number of bar
  /// rows in vertical mode.
  public func render(
    style: TerminalStyle, orientation: Orientation = .vertical, height: Int = 8
  ) -> String {
    var lines: [String] = []
    if let title { lines.append(title) }
    guard total > 0 else {
      lines.append("(no values to count)")
      if skipped > 0 { lines.append(footer(style: style)) }
      return lines.joined(separator: "\n")
    }
    switch orientation {
    case .vertical: lines += verticalLines(style: style, height: max(1, height))
    case .horizontal: lines += horizontalLines(style: style)
    }
    lines.append(footer(style: style))
    return lines.joined(separator: "\n")
  }

  private func verticalLines(style: TerminalStyle, height: Int) -> [String] {
    let glyphs = Glyphs.forUnicode(style.unicode)
    let expected = expectedCounts()
    let top = max(Double(counts.max() ?? 0), expected?.max() ?? 0)
    let topLabel = NumberFormat.grouped(Int(top.rounded(.up)))
    let labelWidth = max(topLabel.count, 1)
    let available = style.width - labelWidth - 2
    let columnWidth = max(1, min(4, available / counts.count))
    let scale = Double(height) / Double(top.rounded(.up))

    // Bar heights in eighths of a row (whole rows in ASCII).
    let barEighths = counts.map { count -> Int in
      let rows = Double(count) * scale
      return style.unicode ? Int((rows * 8).rounded()) : Int(rows.rounded()) * 8
    }
    let markerRows: [Int?] = (expected ?? []).map { value in
      let rows = value * scale
      return rows >= 0.25 ? min(height - 1, Int(rows)) : nil
    }

    var lines: [String] = []
    for row in 0..<height {
      let fromBottom = height - 1 - row
      let label = row == 0 ? topLabel : ""
      var line = TextLayout.padLeft(label, labelWidth) + " "
      line.append(row == 0 ? glyphs.yTick : glyphs.vertical)
      for (bin, eighths) in barEighths.enumerated() {
        let fill = max(0, min(8, eighths - fromBottom * 8))
        let bar = glyphs.verticalEighths[fill]
        let middle = columnWidth / 2
        for offset in 0..<columnWidth {
          if offset == middle, bin < markerRows.count, markerRows[bin] == fromBottom {
            line += ANSI.colored(String(glyphs.curveMarker), foreground: 196, enabled: style.color)
          } else {
            line += ANSI.colored(String(bar), foreground: 75, enabled: style.color && fill > 0)
          }
        }
      }
      lines.append(TextLayout.trimTrailing(line))
    }
    var axis = TextLayout.padLeft("0", labelWidth) + " "
    axis.append(glyphs.origin)
    axis += TextLayout.repeated(glyphs.horizontal, counts.count * columnWidth)
    lines.append(axis)

    let plotWidth = counts.count * columnWidth
    let low = NumberFormat.short(edges[0])
    let high = NumberFormat.short(edges[edges.count - 1])
    let indent = String(repeating: " ", count: labelWidth + 2)
    if low.count + high.count + 1 <= plotWidth {
      lines.append(indent + low + TextLayout.padLeft(high, plotWidth - low.count))
    } else {
      lines.append(indent + low + " … " + high)
    }
    return lines
  }

  private func horizontalLines(style: TerminalStyle) -> [String] {
    let glyphs = Glyphs.forUnicode(style.unicode)
    let expected = expectedCounts()
    let labels = counts.indices.map { index in
      let close = index == counts.count - 1 ? "]" : ")"
      return "[\(NumberFormat.short(edges[index])), \(NumberFormat.short(edges[index + 1]))\(close)"
    }
    let labelWidth = labels.map(\.count).max() ?? 0
    let countTexts = counts.map { NumberFormat.grouped($0) }
    let countWidth = countTexts.map(\.count).max() ?? 1
    let barWidth = max(5, style.width - labelWidth - countWidth - 2)
    let top = max(Double(counts.max() ?? 0), expected?.max() ?? 0)

    var lines: [String] = []
    for (index, count) in counts.enumerated() {
      var cells = Array(
        TextLayout.padRight(
          glyphs.horizontalBar(Double(count) / top * Double(barWidth)), barWidth))
      var markerColumn: Int?
      if let expected {
        let position = expected[index] / top * Double(barWidth)
        if position >= 0.25 {
          let column = min(barWidth - 1, Int(position))
          cells[column] = glyphs.curveMarker
          markerColumn = column
        }
      }
      var bar = ""
      for (column, cell) in cells.enumerated() {
        let color = column == markerColumn ? 196 : 75
        bar += ANSI.colored(String(cell), foreground: color, enabled: style.color && cell != " ")
      }
      let line =
        TextLayout.padRight(labels[index], labelWidth) + " " + bar + " "
        + TextLayout.padLeft(countTexts[index], countWidth)
      lines.append(line)
    }
    return lines
  }
}
