/// ANSI escape sequences used by the terminal renderers (256-colour palette).
enum ANSI {
  /// The escape character.
  static let escape = "\u{1B}"
  /// Resets all attributes.
  static let reset = "\u{1B}[0m"
  /// Bold text.
  static let bold = "\u{1B}[1m"

  /// Selects palette entry `index` (0–255) as the background colour.
  static func background(_ index: Int) -> String { "\u{1B}[48;5;\(index)m" }

  /// Selects palette entry `index` (0–255) as the foreground colour.
  static func foreground(_ index: Int) -> String { "\u{1B}[38;5;\(index)m" }

  /// Wraps `text` in a foreground colour when `enabled`, else returns it unchanged.
  static func colored(_ text: String, foreground index: Int, enabled: Bool) -> String {
    enabled ? foreground(index) + text + reset : text
  }

  /// Wraps `text` in bold when `enabled`, else returns it unchanged.
  static func bolded(_ text: String, enabled: Bool) -> String {
    enabled ? bold + text + reset : text
  }
}
