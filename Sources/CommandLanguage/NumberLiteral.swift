/// A number as written: its value, whether it was a percentage, and its spelling.
///
/// `50%` has `value` 0.5, `isPercent` true and `text` "50%"; messages show `text`.
public struct NumberLiteral: Hashable, Sendable, CustomStringConvertible {
  /// The numeric value (a percentage already divided by 100).
  public var value: Double
  /// Whether the number was written with a `%` suffix.
  public internal(set) var isPercent: Bool
  /// The spelling in the source, e.g. `1e-3` or `50%`.
  public var text: String

  /// Creates a number literal.
  public init(value: Double, isPercent: Bool = false, text: String) {
    self.value = value
    self.isPercent = isPercent
    self.text = text
  }

  /// The spelling in the source.
  public var description: String { text }

  /// Whether the value is a whole number.
  var isInteger: Bool { value.isFinite && value == value.rounded() }
}
