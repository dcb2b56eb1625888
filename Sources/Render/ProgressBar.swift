/// One field after the counts on a progress line, already formatted ("loss 0.412").
public struct ProgressField: Sendable, Equatable {
  /// The field's text.
  public var text: String

  /// A field with the given text.
  public init(_ text: String) { self.text = text }

  /// `name value` with `decimals` digits ("loss 0.412").
  public static func metric(_ name: String, _ value: Double, decimals: Int = 3) -> ProgressField {
    ProgressField("\(name) \(NumberFormat.fixed(value, decimals: decimals))")
  }

  /// `name` and a fraction as a percentage ("acc 85.1%").
  public static func percent(_ name: String, _ fraction: Double, decimals: Int = 1)
    -> ProgressField
  {
    ProgressField("\(name) \(NumberFormat.percent(fraction, decimals: decimals))")
  }

  /// A rate rounded to an integer with its unit ("812 img/s").
  public static func rate(_ value: Double, unit: String) -> ProgressField {
    ProgressField("\(NumberFormat.fixed(value, decimals: 0)) \(unit)")
  }
}

/// Builds progress lines such as
/// `epoch 1/2 [█████▍      ]  45% 120/266 loss 0.412 acc 85.1% 812 img/s ETA 2:02`.
///
/// Pure: it returns strings and never writes. The bar uses eighth blocks in Unicode and
/// `[=====>     ]` in ASCII, and fills what the other parts leave of the width (10 to 30
/// columns); fields are dropped from the right when even a 10-column bar does not fit.
/// ```swift
/// let bar = ProgressBar(label: "epoch 1/2", total: 266, style: style)
/// let line = bar.line(completed: 120, elapsed: 100, fields: [.metric("loss", 0.412)])
/// output.write(ProgressBar.redraw(line, previousLength: last))   // on a TTY
/// ```
public struct ProgressBar: Sendable, Equatable {
  /// The text before the bar ("epoch 1/2"), or empty.
  public var label: String
  /// The number of steps in all (a total ≤ 0 is drawn as an empty bar).
  public var total: Int
  /// Glyphs, colour and the width to fit.
  public var style: TerminalStyle

  /// The fewest columns inside the brackets before fields are dropped to make room.
  static let minimumBarWidth = 10
  /// The most columns inside the brackets.
  static let maximumBarWidth = 30

  /// Creates a progress bar for `total` steps.
  public init(label: String, total: Int, style: TerminalStyle) {
    self.label = label
    self.total = total
    self.style = style
  }

  /// The estimated seconds left after `completed` of `total` steps took `elapsed` seconds;
  /// nil before the first step or when the inputs make no estimate.
  public static func eta(completed: Int, total: Int, elapsed: Double) -> Double? {
    guard completed > 0, total > 0, elapsed.isFinite, elapsed >= 0 else { return nil }
    return elapsed / Double(completed) * Double(max(0, total - completed))
  }

  /// The line while running: label, bar, percentage, counts, fields, and `ETA m:ss`.
  public func line(completed: Int, elapsed: Double, fields: [ProgressField] = []) -> String {
    let remaining = Self.eta(completed: completed, total: total, elapsed: elapsed)
    let eta = "ETA " + (remaining.map { NumberFormat.duration(seconds: $0) } ?? "--:--")
    return assemble(completed: completed, fields: fields, tail: eta)
  }

  /// The line when done: the same parts with the total time (`in m:ss`) instead of the ETA.
  public func finalLine(completed: Int, elapsed: Double, fields: [ProgressField] = []) -> String {
    assemble(
      completed: completed, fields: fields, tail: "in " + NumberFormat.duration(seconds: elapsed))
  }

  /// What to write on a terminal to replace the previous line with `line`: a carriage return,
  /// the line, and enough spaces to cover a longer previous line (`previousLength` columns).
  public static func redraw(_ line: String, previousLength: Int) -> String {
    "\r" + line + String(repeating: " ", count: max(0, previousLength - visibleLength(line)))
  }

  /// The number of columns `text` takes, not counting ANSI escape sequences.
  public static func visibleLength(_ text: String) -> Int {
    var count = 0
    var inEscape = false
    for scalar in text.unicodeScalars {
      if inEscape {
        if (0x40...0x7E).contains(scalar.value) && scalar != "[" { inEscape = false }
      } else if scalar == "\u{1B}" {
        inEscape = true
      } else if scalar.properties.generalCategory != .nonspacingMark {
        count += 1
      }
    }
    return count
  }

  /// The fraction done, clamped to 0...1 (0 when the total is not positive).
  func fraction(completed: Int) -> Double {
    guard total > 0 else { return 0 }
    return max(0, min(1, Double(completed) / Double(total)))
  }

  private func assemble(completed: Int, fields: [ProgressField], tail: String) -> String {
    let done = fraction(completed: completed)
    let percent = TextLayout.padLeft("\(Int((done * 100).rounded(.down)))%", 4)
    let totalText = "\(max(0, total))"
    let counts = TextLayout.padLeft("\(completed)", totalText.count) + "/" + totalText
    var kept = fields.map(\.text)

    func others() -> [String] {
      (label.isEmpty ? [] : [label]) + [percent, counts] + kept + [tail]
    }
    func barRoom() -> Int {
      let parts = others()
      // Parts joined by single spaces, plus the bar's two brackets and its own space.
      let used = parts.reduce(0) { $0 + $1.count } + parts.count + 2
      return style.width - used
    }
    while barRoom() < Self.minimumBarWidth && !kept.isEmpty { kept.removeLast() }
    let barWidth = max(3, min(Self.maximumBarWidth, barRoom()))
    let (plainBar, coloredBar) = drawBar(fraction: done, width: barWidth)
    var parts = others()
    parts.insert("[" + plainBar + "]", at: label.isEmpty ? 0 : 1)
    let plain = parts.joined(separator: " ")
    // Too narrow for every part: cut the line so a carriage-return redraw never wraps.
    if plain.count > style.width { return String(plain.prefix(style.width)) }
    parts[label.isEmpty ? 0 : 1] = "[" + coloredBar + "]"
    return parts.joined(separator: " ")
  }

  /// The inside of the bar, without and with colour.
  private func drawBar(fraction: Double, width: Int) -> (plain: String, colored: String) {
    let glyphs = Glyphs.forUnicode(style.unicode)
    var filled: String
    if style.unicode {
      let eighths = Int((fraction * Double(width) * 8).rounded(.down))
      filled = TextLayout.repeated(glyphs.horizontalEighths[8], eighths / 8)
      if eighths % 8 > 0 { filled.append(glyphs.horizontalEighths[eighths % 8]) }
    } else if fraction >= 1 {
      filled = TextLayout.repeated("=", width)
    } else {
      filled = TextLayout.repeated("=", Int((fraction * Double(width)).rounded(.down))) + ">"
    }
    let gap = String(repeating: " ", count: max(0, width - filled.count))
    let colored = ANSI.colored(filled, foreground: 34, enabled: style.color && !filled.isEmpty)
    return (filled + gap, colored + gap)
  }
}
