/// How an argument is written at the call site.
public enum ParameterKind: Hashable, Sendable {
  /// A bare value in order: `compare m m2`.
  case positional
  /// A preposition word followed by the value: `train m on d`; also `name=value`.
  case preposition(String)
  /// Only `name=value`: `epochs=2`.
  case keyword
}

/// What happens when a parameter is not given.
public enum ParameterDefault: Hashable, Sendable {
  /// The call is an error without it.
  case required
  /// It may be left out and then has no value (the command decides what that means).
  case optional
  /// It may be left out and then takes this value.
  case value(Literal)
}

/// One parameter of a command, read by the checker, completion and help.
///
/// ```swift
/// ParameterSpec("ratio", .number, .keyword, default: .value(.number(0.5, isPercent: true)),
///               range: .halfOpen(0, 1))
/// ```
public struct ParameterSpec: Hashable, Sendable {
  /// The parameter name, also usable as `name=value` unless the parameter is positional.
  public var name: String
  /// The type a value must have (a list type for lists).
  public var type: ValueType
  /// How the argument is written.
  public var kind: ParameterKind
  /// Whether it is required, optional, or has a default.
  public var defaultValue: ParameterDefault
  /// The numbers accepted (for `Number` or `List of Number` parameters), or nil for any.
  public var range: NumericRange?
  /// Whether numbers must be whole.
  public internal(set) var integerOnly: Bool
  /// Words accepted as literal symbols of the parameter's (element) type, on top of those the
  /// context lists for that type, e.g. `uniform`, `global`, `balanced`, `clr` for `alloc`.
  public internal(set) var symbols: [String]
  /// When `symbols` is not empty, whether a text literal outside it is still accepted (e.g. a
  /// path where the symbols name the built-in data sets).
  public internal(set) var allowsOtherText: Bool
  /// A one-line description for help.
  public var summary: String

  /// Creates a parameter specification.
  public init(
    _ name: String, _ type: ValueType, _ kind: ParameterKind = .positional,
    default defaultValue: ParameterDefault = .required, range: NumericRange? = nil,
    integerOnly: Bool = false, symbols: [String] = [], allowsOtherText: Bool = false,
    summary: String = ""
  ) {
    self.name = name
    self.type = type
    self.kind = kind
    self.defaultValue = defaultValue
    self.range = range
    self.integerOnly = integerOnly
    self.symbols = symbols
    self.allowsOtherText = allowsOtherText
    self.summary = summary
  }

  /// The preposition word, if the parameter is prepositional.
  public var preposition: String? {
    if case .preposition(let word) = kind { return word }
    return nil
  }

  /// Whether the parameter is positional.
  var isPositional: Bool { kind == .positional }

  /// Whether leaving the parameter out is an error.
  public var isRequired: Bool { defaultValue == .required }

  /// Why `value` (written as `text`) is not acceptable for this parameter, in the words the
  /// checker uses for a literal: a whole number expected, or the range it must lie in; nil
  /// when it is fine. The runtime asks the same of values that come through variables.
  ///
  /// ```swift
  /// ParameterSpec("epochs", .number, .keyword, range: .closed(1, 10_000), integerOnly: true)
  ///   .problem(with: 2.5, text: "2.5")  // (.integerExpected, "epochs expects a whole number, got 2.5")
  /// ```
  public func problem(with value: Double, text: String, isPercent: Bool = false)
    -> (kind: DiagnosticKind, message: String)?
  {
    if !value.isFinite {
      return (.valueOutOfRange, "\(name) must be a finite number, got \(text)")
    }
    if integerOnly && value != value.rounded() {
      return (.integerExpected, "\(name) expects a whole number, got \(text)")
    }
    if let range, !range.contains(value) {
      return (
        .valueOutOfRange,
        "\(name) must be \(range.description(inPercent: isPercent)), got \(text)"
      )
    }
    return nil
  }
}
