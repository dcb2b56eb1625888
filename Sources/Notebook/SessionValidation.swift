import CommandLanguage
import CommandRuntime

/// The checks a session's fields must pass when it is read: what a name, a type and a hash
/// look like. A session may come from someone else; nothing in it is trusted.
enum SessionValidation {
  /// A word of the language no longer than ``CommandLanguage/InputLimits/maximumNameLength``.
  static func isName(_ text: String) -> Bool {
    guard let first = text.first, first == "_" || first.isLetter,
      text.count <= InputLimits.maximumNameLength
    else { return false }
    return text.allSatisfy { $0 == "_" || $0 == "-" || $0 == "." || $0.isLetter || $0.isNumber }
  }

  /// 16 lowercase hex digits (a ``DurableIO/ContentHash``).
  static func isHash(_ text: String) -> Bool {
    text.utf8.count == 16
      && text.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
  }

  /// A type name a result can have: a bound value's type, or `Nothing`, `Any` or a list of
  /// them.
  static func isTypeName(_ text: String) -> Bool {
    if ValueKinds.standard.boundType(named: text) != nil { return true }
    var base = ValueKinds.type(named: text)
    guard base.description == text else { return false }
    while let element = base.element { base = element }
    return ["Nothing", "Any"].contains(base.name)
  }
}
