/// The characters a renderer draws with, in a Unicode and an ASCII set.
struct Glyphs: Sendable {
  /// Shade characters from blank to full (5 levels).
  let shades: [Character]
  /// Left-anchored partial blocks by eighths, index 0 = empty … 8 = full (Unicode);
  /// the ASCII set only has empty and full.
  let horizontalEighths: [Character]
  /// Bottom-anchored partial blocks by eighths, index 0 = empty … 8 = full.
  let verticalEighths: [Character]
  /// Sparkline levels, lowest first (8 levels).
  let sparkLevels: [Character]
  /// Horizontal rule, vertical rule, and the crossing/corner pieces of a box.
  let horizontal: Character
  let vertical: Character
  let topLeft: Character
  let topMid: Character
  let topRight: Character
  let midLeft: Character
  let cross: Character
  let midRight: Character
  let bottomLeft: Character
  let bottomMid: Character
  let bottomRight: Character
  /// Axis tick on the y axis, and the axis origin.
  let yTick: Character
  let origin: Character
  /// Marker of a reference value on a bar, and of a fitted curve point.
  let referenceMarker: Character
  let curveMarker: Character
  /// Point markers for line-chart series, cycled.
  let seriesMarkers: [Character]
  /// Ellipsis used when text is cut.
  let ellipsis: Character

  /// The set for `unicode`.
  static func forUnicode(_ unicode: Bool) -> Glyphs { unicode ? .unicode : .ascii }

  static let unicode = Glyphs(
    shades: [" ", "░", "▒", "▓", "█"],
    horizontalEighths: [" ", "▏", "▎", "▍", "▌", "▋", "▊", "▉", "█"],
    verticalEighths: [" ", "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"],
    sparkLevels: ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"],
    horizontal: "─", vertical: "│",
    topLeft: "┌", topMid: "┬", topRight: "┐",
    midLeft: "├", cross: "┼", midRight: "┤",
    bottomLeft: "└", bottomMid: "┴", bottomRight: "┘",
    yTick: "┤", origin: "└",
    referenceMarker: "┃", curveMarker: "•",
    seriesMarkers: ["●", "○", "■", "□", "▲", "△"],
    ellipsis: "…")

  static let ascii = Glyphs(
    shades: [" ", ".", ":", "*", "#"],
    horizontalEighths: [" ", " ", " ", " ", " ", " ", " ", " ", "#"],
    verticalEighths: [" ", " ", " ", " ", " ", " ", " ", " ", "#"],
    sparkLevels: ["_", ".", "-", ":", "=", "+", "*", "#"],
    horizontal: "-", vertical: "|",
    topLeft: "+", topMid: "+", topRight: "+",
    midLeft: "+", cross: "+", midRight: "+",
    bottomLeft: "+", bottomMid: "+", bottomRight: "+",
    yTick: "+", origin: "+",
    referenceMarker: "|", curveMarker: "*",
    seriesMarkers: ["*", "o", "x", "+", "@", "%"],
    ellipsis: "~")

  /// A horizontal bar `cells` long (fractional in eighths where the set has them).
  func horizontalBar(_ cells: Double) -> String {
    guard cells.isFinite, cells > 0 else { return "" }
    let eighths = Int((cells * 8).rounded())
    let full = eighths / 8
    let rest = eighths % 8
    var bar = TextLayout.repeated(horizontalEighths[8], full)
    if rest > 0 && horizontalEighths[rest] != " " { bar.append(horizontalEighths[rest]) }
    if rest >= 4 && horizontalEighths[rest] == " " {
      // ASCII has no partial blocks: round half a cell or more up to a full one.
      bar.append(horizontalEighths[8])
    }
    return bar
  }
}
