import CommandLanguage

/// A number (percentages are numbers: `50%` is 0.5).
///
/// Archive: JSON `{"value": …}`. Figures: `value` (a count when whole, else a float).
public struct NumberValue: Value {
  /// The number.
  public var value: Double

  /// Wraps a number.
  public init(_ value: Double) { self.value = value }

  public var type: ValueType { .number }
  public var summary: String { Figure.format(value) }

  public var figures: Figures {
    if value == value.rounded(), abs(value) < 1e15 {
      return Figures([("value", .count(Int(value)))])
    }
    return Figures([("value", .float(value))])
  }

  private struct Stored: Codable { var value: Double }

  /// JSON of the number.
  public func archive() throws -> [UInt8] { try JSONCoding.encode(Stored(value: value)) }

  /// Restores a number.
  public static func unarchive(_ bytes: [UInt8]) throws -> NumberValue {
    NumberValue(try JSONCoding.decode(Stored.self, from: bytes, what: "Number").value)
  }
}

/// A piece of text.
///
/// Archive: the UTF-8 bytes. Figures: `value`.
public struct TextValue: Value {
  /// The text.
  public var value: String

  /// Wraps a text.
  public init(_ value: String) { self.value = value }

  public var type: ValueType { .text }
  public var summary: String { "\"\(value)\"" }
  public var figures: Figures { Figures([("value", .text(value))]) }

  /// The UTF-8 bytes.
  public func archive() throws -> [UInt8] { Array(value.utf8) }

  /// Restores a text from UTF-8 bytes.
  public static func unarchive(_ bytes: [UInt8]) -> TextValue {
    TextValue(String(decoding: bytes, as: UTF8.self))
  }
}

/// `true` or `false`.
///
/// Archive: the ASCII word. Figures: `value` (as text).
public struct BoolValue: Value {
  /// The truth value.
  public var value: Bool

  /// Wraps a truth value.
  public init(_ value: Bool) { self.value = value }

  public var type: ValueType { .bool }
  public var summary: String { String(value) }
  public var figures: Figures { Figures([("value", .text(String(value)))]) }

  /// `true` or `false` in ASCII.
  public func archive() throws -> [UInt8] { Array(String(value).utf8) }

  /// Restores a truth value.
  public static func unarchive(_ bytes: [UInt8]) throws -> BoolValue {
    switch String(decoding: bytes, as: UTF8.self) {
    case "true": return BoolValue(true)
    case "false": return BoolValue(false)
    case let other:
      throw RuntimeError.unarchive(type: "Bool", problem: "expected true or false, got \(other)")
    }
  }
}

/// A word that names something of a type without a value of its own, e.g. a layer name in
/// `plot m layer=features.0.conv`.
///
/// Archive: the UTF-8 bytes of the word (the type comes with the archive's type name).
/// Figures: `value`.
public struct SymbolValue: Value {
  /// The word.
  public var word: String
  /// The type the checker gave it.
  public var type: ValueType

  /// Wraps a word of `type`.
  public init(_ word: String, type: ValueType) {
    self.word = word
    self.type = type
  }

  public var summary: String { word }
  public var figures: Figures { Figures([("value", .text(word))]) }

  /// The UTF-8 bytes of the word.
  public func archive() throws -> [UInt8] { Array(word.utf8) }
}
