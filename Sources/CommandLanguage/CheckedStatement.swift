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
  public internal(set) var statement: Statement
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
