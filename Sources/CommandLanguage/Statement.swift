/// One statement of a script or one REPL entry.
public struct Statement: Hashable, Sendable {
  /// The shape of a statement.
  public enum Kind: Hashable, Sendable {
    /// `name = expression`.
    case assignment(name: String, nameRange: SourceRange, value: Expression)
    /// An expression on its own; its value is shown.
    case expression(Expression)
    /// A `:name argument` line.
    case meta(MetaCommand)
  }

  /// The shape and payload.
  public var kind: Kind
  /// The whole statement, from its first to its last token.
  public var range: SourceRange

  /// Creates a statement.
  public init(_ kind: Kind, _ range: SourceRange) {
    self.kind = kind
    self.range = range
  }
}

/// A meta command such as `:help prune` or `:save s.json`: a name and the raw argument text.
///
/// Only `:type` has its argument parsed (into ``expression``); the others keep raw text.
public struct MetaCommand: Hashable, Sendable {
  /// The name without the colon, e.g. `help`.
  public var name: String
  /// Where the name is.
  public internal(set) var nameRange: SourceRange
  /// The argument text with surrounding blanks and a trailing comment removed.
  public internal(set) var argument: String
  /// Where the argument text is (zero length at the end of the name when there is none).
  public internal(set) var argumentRange: SourceRange
  /// The parsed argument of `:type`; nil for other meta commands.
  public internal(set) var expression: Expression?

  /// Creates a meta command.
  public init(
    name: String, nameRange: SourceRange, argument: String, argumentRange: SourceRange,
    expression: Expression? = nil
  ) {
    self.name = name
    self.nameRange = nameRange
    self.argument = argument
    self.argumentRange = argumentRange
    self.expression = expression
  }

  /// The meta commands the shell knows: `help`, `type`, `vars`, `quit`, `save`, `load`.
  public static let standardNames = ["help", "load", "quit", "save", "type", "vars"]
}
