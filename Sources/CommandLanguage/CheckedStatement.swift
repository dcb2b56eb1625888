/// A statement after checking, ready for the runtime.
public struct CheckedStatement: Hashable, Sendable {
  /// The resolved shape.
  public enum Kind: Hashable, Sendable {
    /// `name = value`; the variable then has the value's type.
    case assignment(name: String, value: CheckedExpression)
    /// A value to compute and show.
    case expression(CheckedExpression)
    /// A meta command; for `:type` the checked argument is in `typed`.
    case meta(MetaCommand, typed: CheckedExpression?)
  }

  /// The resolved shape.
  public var kind: Kind
  /// The statement as parsed.
  public var statement: Statement
  /// The statement's value type (``ValueType/nothing`` for meta commands and for commands that
  /// return nothing).
  public var resultType: ValueType

  /// Creates a checked statement.
  public init(kind: Kind, statement: Statement, resultType: ValueType) {
    self.kind = kind
    self.statement = statement
    self.resultType = resultType
  }
}

/// The outcome of checking a whole script.
public struct ScriptCheck: Sendable {
  /// The statements that checked cleanly, in order.
  public var statements: [CheckedStatement]
  /// Syntax and type errors, in source order.
  public var diagnostics: [Diagnostic]
  /// The variable types after the last statement (assignments that failed are left out).
  public var variables: [String: ValueType]

  /// Whether the script has no errors.
  public var isValid: Bool { diagnostics.isEmpty }
}
