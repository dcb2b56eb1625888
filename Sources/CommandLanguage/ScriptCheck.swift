/// The outcome of checking a whole script.
public struct ScriptCheck: Sendable {
  /// The statements that checked cleanly, in order.
  public internal(set) var statements: [CheckedStatement]
  /// Syntax and type errors, in source order (at most ``InputLimits/maximumErrorsPerLine`` a
  /// line and ``InputLimits/maximumErrors`` in all, then one saying how many more).
  public var diagnostics: [Diagnostic]
  /// The variable types after the last statement (assignments that failed are left out).
  public var variables: [String: ValueType]

  /// How many errors were found, including those summarised as "and N more".
  public internal(set) var errorCount = 0

  /// Whether the script has no errors.
  var isValid: Bool { diagnostics.isEmpty }
}
