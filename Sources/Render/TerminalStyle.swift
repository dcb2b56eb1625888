/// How terminal output may be drawn: ANSI colour, Unicode glyphs and the line width.
///
/// Decide it once from the environment with ``detect(isTTY:environment:)``, or build one
/// explicitly (tests, `--plain` flags):
/// ```swift
/// let style = TerminalStyle.detect(isTTY: isatty(1) != 0,
///                                  environment: ProcessInfo.processInfo.environment)
/// let plain = TerminalStyle(color: false, unicode: false, width: 60)
/// ```
public struct TerminalStyle: Sendable, Equatable {
  /// Whether ANSI colour escape sequences may be written.
  public var color: Bool
  /// Whether Unicode glyphs (box drawing, blocks, shades) may be written; ASCII otherwise.
  public var unicode: Bool
  /// The number of columns a line may use (at least 1).
  public var width: Int

  /// The width used when `COLUMNS` is absent or not a positive number.
  public static let defaultWidth = 80

  /// Creates a style with explicit choices; `width` is clamped to at least 1.
  public init(color: Bool, unicode: Bool, width: Int = TerminalStyle.defaultWidth) {
    self.color = color
    self.unicode = unicode
    self.width = max(1, width)
  }

  /// ASCII only, no colour, 80 columns: safe for pipes, logs and golden tests.
  public static let plain = TerminalStyle(color: false, unicode: false)

  /// Unicode without colour, 80 columns.
  static let unicodePlain = TerminalStyle(color: false, unicode: true)

  /// Decides the style from whether the output is a terminal and from the environment.
  ///
  /// - Colour is off when `isTTY` is false, when `NO_COLOR` is present with a non-empty value
  ///   (https://no-color.org), or when `TERM` is `dumb`.
  /// - Unicode is on when the effective locale (`LC_ALL`, else `LC_CTYPE`, else `LANG`, the
  ///   first one set and non-empty) names UTF-8 (`UTF-8` or `utf8`, any case).
  /// - Width comes from `COLUMNS` when it holds a positive integer, else 80.
  public static func detect(isTTY: Bool, environment: [String: String]) -> TerminalStyle {
    var color = isTTY
    if let noColor = environment["NO_COLOR"], !noColor.isEmpty { color = false }
    if environment["TERM"] == "dumb" { color = false }

    let locale = ["LC_ALL", "LC_CTYPE", "LANG"].lazy
      .compactMap { environment[$0] }
      .first { !$0.isEmpty }
    let unicode = locale.map(Self.namesUTF8) ?? false

    var width = defaultWidth
    if let columns = environment["COLUMNS"]?.trimmingSpaces, let parsed = Int(columns),
      parsed > 0
    {
      width = parsed
    }
    return TerminalStyle(color: color, unicode: unicode, width: width)
  }

  /// Whether a locale name such as `en_US.UTF-8` or `C.utf8` names the UTF-8 encoding.
  static func namesUTF8(_ locale: String) -> Bool {
    let lower = locale.lowercased()
    return lower.contains("utf-8") || lower.contains("utf8")
  }
}

extension String {
  /// The string without leading and trailing spaces and tabs.
  var trimmingSpaces: String {
    var scalars = Substring(self)
    while let first = scalars.first, first == " " || first == "\t" { scalars.removeFirst() }
    while let last = scalars.last, last == " " || last == "\t" { scalars.removeLast() }
    return String(scalars)
  }
}
