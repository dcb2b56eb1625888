/// A one-line chart of a series: `▁▂▃▄▅▆▇█` in Unicode, `_.-:=+*#` in ASCII; NaN is a gap.
///
/// ```swift
/// Sparkline.render([0, 1, 2, 3, 4, 5, 6, 7], unicode: true)   // "▁▂▃▄▅▆▇█"
/// ```
enum Sparkline {
  /// The level (0…7) of each value within `range` (default: the finite values' extent), or
  /// nil for a non-finite value. A series with no spread sits at level 3.
  public static func levels(_ values: [Double], range: ClosedRange<Double>? = nil) -> [Int?] {
    let finite = values.filter(\.isFinite)
    let low = range?.lowerBound ?? finite.min() ?? 0
    let high = range?.upperBound ?? finite.max() ?? 0
    return values.map { value in
      guard value.isFinite else { return nil }
      guard high > low else { return 3 }
      let t = max(0, min(1, (value - low) / (high - low)))
      return Int((t * 7).rounded())
    }
  }

  /// The sparkline of `values` as one line of text, one character per value.
  public static func render(
    _ values: [Double], unicode: Bool, range: ClosedRange<Double>? = nil
  ) -> String {
    let glyphs = Glyphs.forUnicode(unicode)
    return String(levels(values, range: range).map { $0.map { glyphs.sparkLevels[$0] } ?? " " })
  }

  /// The sparkline of `values` in the given terminal style.
  public static func render(
    _ values: [Double], style: TerminalStyle, range: ClosedRange<Double>? = nil
  ) -> String {
    render(values, unicode: style.unicode, range: range)
  }

  /// The sparkline as a small SVG document: a `path` of class `sparkline` (broken at
  /// non-finite values) and a `circle` of class `last` on the last finite value.
  public static func svg(
    _ values: [Double], width: Double = 120, height: Double = 24,
    range: ClosedRange<Double>? = nil
  ) -> String {
    let w = max(8, width.isFinite ? width : 120)
    let h = max(8, height.isFinite ? height : 24)
    var svg = SVGDocument(width: w, height: h, background: nil)
    let finite = values.filter(\.isFinite)
    let low = range?.lowerBound ?? finite.min() ?? 0
    let high = range?.upperBound ?? finite.max() ?? 0
    let pad = 2.0
    func px(_ index: Int) -> Double {
      values.count > 1 ? pad + Double(index) / Double(values.count - 1) * (w - 2 * pad) : w / 2
    }
    func py(_ value: Double) -> Double {
      guard high > low else { return h / 2 }
      let t = max(0, min(1, (value - low) / (high - low)))
      return h - pad - t * (h - 2 * pad)
    }
    var subpaths: [[(x: Double, y: Double)]] = [[]]
    for (index, value) in values.enumerated() {
      if value.isFinite {
        subpaths[subpaths.count - 1].append((px(index), py(value)))
      } else if !subpaths[subpaths.count - 1].isEmpty {
        subpaths.append([])
      }
    }
    svg.path(subpaths: subpaths, stroke: "#4f7cbf", strokeWidth: 1.5, className: "sparkline")
    if let last = values.indices.last(where: { values[$0].isFinite }) {
      svg.circle(cx: px(last), cy: py(values[last]), r: 2, fill: "#d62728", className: "last")
    }
    return svg.render()
  }
}
