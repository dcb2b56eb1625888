/// Turns a ``Diagnostic`` and the source it refers to into the text a user sees.
///
/// The file style (the default) is fixed:
/// ```
/// error: prune expects a Model here, but d is a Dataset
///  --> 1:7
///   |
/// 1 | prune d with p
///   |       ^
///   = help: usage: prune m with p
/// ```
/// The ` --> ` line reads `FILE:line:column` when a file name is set. The gutter is as wide as
/// the line number. The marker is `^` for a span of one character (or an empty span) and `^`
/// followed by `~` for each further character of a longer span; a span that crosses lines is
/// clipped to the end of its first line. Tabs before the span are copied into the marker line so
/// the caret lines up, and characters drawn two columns wide count twice. A line longer than
/// ``maximumShownLength`` is shown cut to a window around the error, with `…` where it was cut.
/// The `= help:` line appears only when the diagnostic has a help text.
///
/// The prompt style is for the REPL, where the user's line is already on screen after a prompt
/// such as `shears> ` (width 8): only the marker line is printed, shifted by the prompt width,
/// with the message after it:
/// ```
/// shears> prune d with p
///               ^ prune expects a Model here, but d is a Dataset
/// ```
/// When the error is not on the last line of the input, the offending line is echoed first,
/// indented by the prompt width, so the caret still sits under it. A help text follows on its own
/// line, indented by the prompt width, as `help: ...`.
public struct DiagnosticRenderer: Sendable {
  /// How the diagnostic is laid out.
  public enum Style: Hashable, Sendable {
    /// The standalone layout with a ` --> ` line and a quoted source line.
    case file(name: String?)
    /// The REPL layout: the caret under the already echoed line, after a prompt this wide.
    case prompt(width: Int)
  }

  /// The layout used by ``render(_:in:)``.
  public var style: Style

  /// Creates a renderer; the default is the file style without a file name.
  public init(style: Style = .file(name: nil)) {
    self.style = style
  }

  /// Renders one diagnostic against the source it was found in (no trailing newline).
  public func render(_ diagnostic: Diagnostic, in source: String) -> String {
    render(diagnostic, lines: Self.lines(of: source))
  }

  /// Renders one diagnostic against the source already split into lines.
  func render(_ diagnostic: Diagnostic, lines: [[Character]]) -> String {
    let index = min(max(diagnostic.range.line - 1, 0), max(lines.count - 1, 0))
    var line = lines.isEmpty ? [] : lines[index]
    var range = diagnostic.range
    if case .file = style { (line, range) = Self.window(line, around: range) }
    let marker = Self.marker(for: range, on: line)
    switch style {
    case .file(let name):
      let number = String(diagnostic.range.line)
      let gutter = String(repeating: " ", count: number.count + 1)
      let place = (name.map { "\($0):" } ?? "") + diagnostic.range.description
      var out = [
        "error: \(diagnostic.message)",
        "\(String(repeating: " ", count: number.count - 1)) --> \(place)",
        "\(gutter)|",
        "\(number) | \(String(line))",
        "\(gutter)| \(marker)",
      ]
      if let help = diagnostic.help { out.append("\(gutter)= help: \(help)") }
      return out.joined(separator: "\n")
    case .prompt(let width):
      let indent = String(repeating: " ", count: max(width, 0))
      var out: [String] = []
      if index != lines.count - 1 { out.append(indent + String(line)) }
      out.append("\(indent)\(marker) \(diagnostic.message)")
      if let help = diagnostic.help { out.append("\(indent)help: \(help)") }
      return out.joined(separator: "\n")
    }
  }

  /// Renders several diagnostics, separated by blank lines in the file style.
  public func render(_ diagnostics: [Diagnostic], in source: String) -> String {
    let separator: String
    if case .file = style { separator = "\n\n" } else { separator = "\n" }
    let lines = Self.lines(of: source)
    return diagnostics.map { render($0, lines: lines) }.joined(separator: separator)
  }

  /// The source split at line breaks (`\n`, `\r\n`, `\r`), as arrays of characters.
  static func lines(of source: String) -> [[Character]] {
    var result: [[Character]] = [[]]
    for character in source {
      if character.isNewline {
        result.append([])
      } else {
        result[result.count - 1].append(character)
      }
    }
    return result
  }

  /// The most characters of a source line shown; a longer line is cut to a window around the
  /// error, with `…` where it was cut.
  static let maximumShownLength = 120

  /// `line` cut to at most ``maximumShownLength`` characters around `range`, and `range` moved
  /// to match.
  static func window(_ line: [Character], around range: SourceRange) -> ([Character], SourceRange) {
    guard line.count > maximumShownLength else { return (line, range) }
    let column = min(max(range.column - 1, 0), line.count)
    let start = max(0, min(column - 40, line.count - (maximumShownLength - 2)))
    let end = min(line.count, start + maximumShownLength - 2)
    var shown: [Character] = start > 0 ? ["…"] : []
    shown += line[start..<end]
    if end < line.count { shown.append("…") }
    var moved = range
    moved.column = column - start + (start > 0 ? 1 : 0) + 1
    moved.length = min(range.length, end - column)
    return (shown, moved)
  }

  /// The padding (copying tabs) and `^~~` marker for `range` on `line`. A character that a
  /// terminal draws two columns wide (CJK, most emoji) counts twice, so the caret stays under
  /// its character.
  static func marker(for range: SourceRange, on line: [Character]) -> String {
    let start = max(range.column - 1, 0)
    var padding = ""
    for position in 0..<start {
      if position < line.count && line[position] == "\t" {
        padding.append("\t")
      } else {
        let wide = position < line.count && isWide(line[position])
        padding.append(wide ? "  " : " ")
      }
    }
    let available = max(line.count - start, 1)
    let count = max(1, min(range.length, available))
    var width = 0
    for position in start..<start + count {
      width += position < line.count && isWide(line[position]) ? 2 : 1
    }
    return padding + "^" + String(repeating: "~", count: max(width - 1, 0))
  }

  /// Whether a terminal draws `character` two columns wide (East Asian wide and full-width
  /// ranges, and emoji).
  static func isWide(_ character: Character) -> Bool {
    guard let scalar = character.unicodeScalars.first?.value else { return false }
    switch scalar {
    case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF,
      0xA000...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60,
      0xFFE0...0xFFE6, 0x1F300...0x1F64F, 0x1F900...0x1F9FF, 0x20000...0x3FFFD:
      return true
    default:
      return false
    }
  }
}
