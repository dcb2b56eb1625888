/// A builder for a self-contained SVG 1.1 document with width, height and viewBox.
///
/// Text and attribute values are escaped (`& < > " '`), and characters XML 1.0 forbids are
/// dropped, so any label can be passed in.
/// ```swift
/// var svg = SVGDocument(width: 120, height: 40)
/// svg.rect(x: 0, y: 0, width: 50, height: 20, fill: "#3366cc", className: "bar")
/// svg.text("a < b", x: 60, y: 15)
/// let file = svg.render()   // "<?xml version=\"1.0\" ...><svg ...>...</svg>\n"
/// ```
struct SVGDocument: Sendable, Equatable {
  /// Horizontal alignment of text relative to its anchor point.
  enum TextAnchor: String, Sendable {
    /// The text starts at the point.
    case start
    /// The text is centred on the point.
    case middle
    /// The text ends at the point.
    case end
  }

  /// The document width in user units (pixels).
  public let width: Double
  /// The document height in user units (pixels).
  public let height: Double
  /// The elements in drawing order, already serialised.
  public private(set) var elements: [String] = []

  /// Creates an empty document; a white background is drawn when `background` is not nil.
  public init(width: Double, height: Double, background: String? = "#ffffff") {
    self.width = max(1, width.isFinite ? width : 1)
    self.height = max(1, height.isFinite ? height : 1)
    if let background {
      rect(x: 0, y: 0, width: self.width, height: self.height, fill: background)
    }
  }

  /// Escapes text for XML content or a double-quoted attribute value, dropping characters that
  /// XML 1.0 does not allow (control characters other than tab, line feed and carriage return).
  public static func escape(_ text: String) -> String {
    var out = ""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "\"": out += "&quot;"
      case "'": out += "&apos;"
      case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
      default:
        let value = scalar.value
        let allowed =
          (value >= 0x20 && value <= 0xD7FF) || (value >= 0xE000 && value <= 0xFFFD)
          || value >= 0x10000
        if allowed { out.unicodeScalars.append(scalar) }
      }
    }
    return out
  }

  /// A coordinate with at most two decimals and no trailing zeros ("12.5", "3", "-0.25");
  /// non-finite values are written as 0.
  public static func number(_ value: Double) -> String {
    guard value.isFinite else { return "0" }
    return NumberFormat.trimmingZeros(NumberFormat.fixed(value, decimals: 2))
  }

  /// Appends an element with the given attributes (values escaped), optional text content and
  /// an optional tooltip (`<title>`).
  public mutating func element(
    _ name: String, attributes: [(String, String)], content: String? = nil,
    tooltip: String? = nil
  ) {
    var out = "<" + name
    for (key, value) in attributes {
      out += " \(key)=\"\(Self.escape(value))\""
    }
    if content == nil && tooltip == nil {
      elements.append(out + "/>")
      return
    }
    out += ">"
    if let tooltip { out += "<title>\(Self.escape(tooltip))</title>" }
    if let content { out += Self.escape(content) }
    elements.append(out + "</\(name)>")
  }

  /// Appends a rectangle.
  public mutating func rect(
    x: Double, y: Double, width: Double, height: Double, fill: String,
    stroke: String? = nil, className: String? = nil, tooltip: String? = nil
  ) {
    var attributes = [
      ("x", Self.number(x)), ("y", Self.number(y)), ("width", Self.number(max(0, width))),
      ("height", Self.number(max(0, height))), ("fill", fill),
    ]
    if let stroke { attributes.append(("stroke", stroke)) }
    if let className { attributes.append(("class", className)) }
    element("rect", attributes: attributes, tooltip: tooltip)
  }

  /// Appends a straight line.
  public mutating func line(
    x1: Double, y1: Double, x2: Double, y2: Double, stroke: String = "#333333",
    strokeWidth: Double = 1, dashed: Bool = false, className: String? = nil
  ) {
    var attributes = [
      ("x1", Self.number(x1)), ("y1", Self.number(y1)), ("x2", Self.number(x2)),
      ("y2", Self.number(y2)), ("stroke", stroke), ("stroke-width", Self.number(strokeWidth)),
    ]
    if dashed { attributes.append(("stroke-dasharray", "4 3")) }
    if let className { attributes.append(("class", className)) }
    element("line", attributes: attributes)
  }

  /// Appends a circle.
  public mutating func circle(
    cx: Double, cy: Double, r: Double, fill: String, className: String? = nil,
    tooltip: String? = nil
  ) {
    var attributes = [
      ("cx", Self.number(cx)), ("cy", Self.number(cy)), ("r", Self.number(r)), ("fill", fill),
    ]
    if let className { attributes.append(("class", className)) }
    element("circle", attributes: attributes, tooltip: tooltip)
  }

  /// Appends a path through `subpaths` (each a list of points; a subpath with one point is
  /// skipped), as `M x y L x y …` segments.
  public mutating func path(
    subpaths: [[(x: Double, y: Double)]], stroke: String, strokeWidth: Double = 1.5,
    fill: String = "none", dashed: Bool = false, className: String? = nil
  ) {
    var data: [String] = []
    for points in subpaths where points.count >= 2 {
      for (index, point) in points.enumerated() {
        data.append("\(index == 0 ? "M" : "L")\(Self.number(point.x)) \(Self.number(point.y))")
      }
    }
    guard !data.isEmpty else { return }
    var attributes = [
      ("d", data.joined(separator: " ")), ("fill", fill), ("stroke", stroke),
      ("stroke-width", Self.number(strokeWidth)), ("stroke-linejoin", "round"),
    ]
    if dashed { attributes.append(("stroke-dasharray", "5 3")) }
    if let className { attributes.append(("class", className)) }
    element("path", attributes: attributes)
  }

  /// Appends text at a point; `rotation` (degrees) turns it about that point.
  public mutating func text(
    _ text: String, x: Double, y: Double, size: Double = 12, anchor: TextAnchor = .start,
    fill: String = "#222222", bold: Bool = false, rotation: Double = 0, className: String? = nil
  ) {
    var attributes = [
      ("x", Self.number(x)), ("y", Self.number(y)), ("font-size", Self.number(size)),
      ("text-anchor", anchor.rawValue), ("fill", fill),
    ]
    if bold { attributes.append(("font-weight", "bold")) }
    if rotation != 0 {
      attributes.append(
        ("transform", "rotate(\(Self.number(rotation)) \(Self.number(x)) \(Self.number(y)))"))
    }
    if let className { attributes.append(("class", className)) }
    element("text", attributes: attributes, content: text)
  }

  /// The complete document: XML declaration, `<svg>` root with width, height and viewBox, and
  /// the elements; ends with a newline.
  public func render() -> String {
    let w = Self.number(width)
    let h = Self.number(height)
    var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    out += "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"\(w)\" "
    out += "height=\"\(h)\" viewBox=\"0 0 \(w) \(h)\" font-family=\"sans-serif\">\n"
    for element in elements { out += element + "\n" }
    return out + "</svg>\n"
  }

  /// An estimate of the width of `text` drawn at `size` (sans-serif, 0.6 em per character).
  static func textWidth(_ text: String, size: Double = 12) -> Double {
    Double(text.count) * size * 0.6
  }
}
