/// A parsed value: a literal, a bare word, a list, or a command call, with its source range.
///
/// Bare words are not resolved by the parser: the ``Checker`` decides whether `fpgm` is a
/// variable or a symbol, and whether a lone word is a variable or a command without arguments.
public struct Expression: Hashable, Sendable {
  /// The shape of an expression.
  public enum Kind: Hashable, Sendable {
    /// A number or percentage literal.
    case number(NumberLiteral)
    /// A text literal.
    case text(String)
    /// `true` or `false`.
    case bool(Bool)
    /// A bare word: a variable, a symbol, or (alone) a command with no arguments.
    case word(String)
    /// `[a, b, c]`.
    case list([Expression])
    /// `NAME arg arg ...`, at the top of a statement or in parentheses.
    case call(CommandCall)
  }

  /// The shape and payload.
  public var kind: Kind
  /// The whole expression, parentheses included for a parenthesised call.
  public var range: SourceRange

  /// Creates an expression.
  public init(_ kind: Kind, _ range: SourceRange) {
    self.kind = kind
    self.range = range
  }
}

/// A command call as written: the name and its arguments in source order.
public struct CommandCall: Hashable, Sendable {
  /// The command name.
  public var name: String
  /// Where the command name is.
  public internal(set) var nameRange: SourceRange
  /// The arguments in source order; prepositions are still plain words here.
  public var arguments: [Argument]

  /// Creates a command call.
  public init(name: String, nameRange: SourceRange, arguments: [Argument]) {
    self.name = name
    self.nameRange = nameRange
    self.arguments = arguments
  }
}

/// One argument as written: a bare atom or a `name=atom` keyword argument.
///
/// A preposition such as `on` in `train m on d` is an unlabelled word atom at this stage; the
/// checker pairs it with the atom after it using the command's signature.
public struct Argument: Hashable, Sendable {
  /// The keyword of a `name=value` argument.
  public struct Label: Hashable, Sendable {
    /// The parameter name before `=`.
    public var name: String
    /// Where the name is.
    public var range: SourceRange

    /// Creates a label.
    public init(name: String, range: SourceRange) {
      self.name = name
      self.range = range
    }
  }

  /// The keyword for `name=value`, or nil for a bare atom.
  public var label: Label?
  /// The value.
  public var value: Expression

  /// Creates an argument.
  public init(label: Label? = nil, value: Expression) {
    self.label = label
    self.value = value
  }

  /// The whole argument, label included.
  public var range: SourceRange {
    guard let label else { return value.range }
    return label.range.extended(through: value.range)
  }
}
