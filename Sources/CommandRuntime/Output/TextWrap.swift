/// Word wrapping for generated sentences.
enum TextWrap {
  /// `text` broken at spaces into lines of at most `width` characters (a longer word gets a
  /// line of its own).
  static func wrap(_ text: String, width: Int = 88) -> String {
    var lines: [String] = []
    var current = ""
    for word in text.split(separator: " ") {
      if current.isEmpty {
        current = String(word)
      } else if current.count + 1 + word.count <= width {
        current += " " + word
      } else {
        lines.append(current)
        current = String(word)
      }
    }
    if !current.isEmpty { lines.append(current) }
    return lines.joined(separator: "\n")
  }
}
