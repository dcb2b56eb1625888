/// An expression after checking: every word resolved and every value typed.
public struct CheckedExpression: Hashable, Sendable {
  /// The resolved shape.
  public enum Kind: Hashable, Sendable {
    /// A number; `isPercent` and `text` keep how it was written.
    case number(NumberLiteral)
    /// A text literal.
    case text(String)
    /// `true` or `false`.
    case bool(Bool)
    /// A literal symbol such as `fpgm` or `global`; the expression's type says of what.
    case symbol(String)
    /// A bound variable.
    case variable(String)
    /// A list.
    case list([CheckedExpression])
    /// A command call with all parameters bound.
    case call(CheckedCall)
  }

  /// The resolved shape.
  public var kind: Kind
  /// The value's type.
  public var type: ValueType
  /// Where it is in the source (for a default: a zero-length range at the end of the call).
  public var range: SourceRange

  /// Creates a checked expression.
  public init(_ kind: Kind, type: ValueType, range: SourceRange) {
    self.kind = kind
    self.type = type
    self.range = range
  }
}

/// A command call resolved against its signature.
public struct CheckedCall: Hashable, Sendable {
  /// The command's signature.
  public var signature: CommandSignature
  /// One entry per parameter, in the signature's order.
  public var arguments: [BoundArgument]
  /// Where the command name is.
  public internal(set) var nameRange: SourceRange

  /// Creates a checked call.
  public init(signature: CommandSignature, arguments: [BoundArgument], nameRange: SourceRange) {
    self.signature = signature
    self.arguments = arguments
    self.nameRange = nameRange
  }

  /// The bound argument of the parameter with this name.
  public func argument(_ name: String) -> BoundArgument? {
    arguments.first { $0.parameter.name == name }
  }
}

/// A parameter and the value bound to it.
public struct BoundArgument: Hashable, Sendable {
  /// Where the value came from.
  public enum Origin: Hashable, Sendable {
    /// Written in the call.
    case given
    /// Taken from the parameter's default.
    case defaulted
    /// Optional, not given, no default: ``BoundArgument/value`` is nil.
    case absent
  }

  /// The parameter.
  public internal(set) var parameter: ParameterSpec
  /// The value, nil when the optional parameter was left out.
  public var value: CheckedExpression?
  /// Where the value came from.
  public internal(set) var origin: Origin

  /// Creates a bound argument.
  public init(parameter: ParameterSpec, value: CheckedExpression?, origin: Origin) {
    self.parameter = parameter
    self.value = value
    self.origin = origin
  }
}
