/// The outcome of checking a whole script.
public struct ScriptCheck: Sendable {
  /// The statements that checked cleanly, in order.
  public internal(set) var statements: [CheckedStatement]
  /// Syntax and type errors, in source order.
  public var diagnostics: [Diagnostic]
  /// The variable types after the last statement (assignments that failed are left out).
  public var variables: [String: ValueType]

  /// Whether the script has no errors.
  var isValid: Bool { diagnostics.isEmpty }
}
