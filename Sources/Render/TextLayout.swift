/// Padding and truncation of plain text measured in characters (one column per character).
enum TextLayout {
  /// `text` padded with spaces on the right to `width` columns.
  static func padRight(_ text: String, _ width: Int) -> String {
    let gap = width - text.count
    return gap > 0 ? text + String(repeating: " ", count: gap) : text
  }

  /// `text` padded with spaces on the left to `width` columns.
  static func padLeft(_ text: String, _ width: Int) -> String {
    let gap = width - text.count
    return gap > 0 ? String(repeating: " ", count: gap) + text : text
  }

  /// `text` centred in `width` columns (an odd gap leaves the extra space on the right).
  static func center(_ text: String, _ width: Int) -> String {
    let gap = width - text.count
    guard gap > 0 else { return text }
    let left = gap / 2
    return String(repeating: " ", count: left) + text
      + String(repeating: " ", count: gap - left)
  }

  /// `text` cut to at most `width` columns, ending in an ellipsis (`…`, or `~` in ASCII)
  /// when it was cut.
  static func truncate(_ text: String, _ width: Int, unicode: Bool) -> String {
    guard width > 0 else { return "" }
    guard text.count > width else { return text }
    return String(text.prefix(width - 1)) + (unicode ? "…" : "~")
  }

  /// `count` copies of `character`.
  static func repeated(_ character: Character, _ count: Int) -> String {
    count > 0 ? String(repeating: String(character), count: count) : ""
  }
}

extension TextLayout {
  /// `line` without trailing spaces.
  static func trimTrailing(_ line: String) -> String {
    var out = Substring(line)
    while out.last == " " { out.removeLast() }
    return String(out)
  }
}
