/// A constant value a signature can name as a parameter's default.
public enum Literal: Hashable, Sendable, CustomStringConvertible {
  /// A number; `isPercent` keeps how it is shown (`0.5` as `50%`).
  case number(Double, isPercent: Bool = false)
  /// A piece of text.
  case text(String)
  /// `true` or `false`.
  case bool(Bool)
  /// A symbol such as `uniform` or `fpgm`, typed by its parameter.
  case symbol(String)
  /// A list of literals.
  case list([Literal])

  /// The literal as a user would write it: `0.1`, `50%`, `"a b"`, `true`, `fpgm`, `[l1, l2]`.
  public var description: String {
    switch self {
    case .number(let value, let isPercent):
      return isPercent ? Literal.format(value * 100) + "%" : Literal.format(value)
    case .text(let text): return "\"\(text)\""
    case .bool(let value): return String(value)
    case .symbol(let name): return name
    case .list(let items): return "[" + items.map(\.description).joined(separator: ", ") + "]"
    }
  }

  /// A number without a trailing `.0` when whole: `2`, `0.1`, `1e-06`.
  public static func format(_ value: Double) -> String {
    if value.isFinite && value == value.rounded() && abs(value) < 1e15 {
      return String(Int(value))
    }
    return String(value)
  }
}
