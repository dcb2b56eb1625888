/// The shape of a command, as data: its parameters, result type, one-line doc and example.
///
/// The runtime registry builds these; the checker, completion and `:help` read them.
/// ```swift
/// CommandSignature(
///   name: "prune",
///   parameters: [ParameterSpec("model", .model), ParameterSpec("plan", .plan, .preposition("with"))],
///   result: .model, summary: "Remove the channels a plan selects.", example: "prune m with p")
/// ```
public struct CommandSignature: Hashable, Sendable {
  /// The command name.
  public var name: String
  /// The parameters; positional ones are filled in this order.
  public var parameters: [ParameterSpec]
  /// The type of the value it returns (``ValueType/nothing`` for none).
  public internal(set) var result: ValueType
  /// A one-line description.
  public var summary: String
  /// A typical call.
  public var example: String
  /// Relations between parameters the checker verifies on literal values.
  public var constraints: [ParameterConstraint]

  /// Creates a signature.
  public init(
    name: String, parameters: [ParameterSpec], result: ValueType, summary: String = "",
    example: String = "", constraints: [ParameterConstraint] = []
  ) {
    self.name = name
    self.parameters = parameters
    self.result = result
    self.summary = summary
    self.example = example
    self.constraints = constraints
  }

  /// The positional parameters in order.
  var positionalParameters: [ParameterSpec] { parameters.filter(\.isPositional) }

  /// The parameter with this name.
  public func parameter(named name: String) -> ParameterSpec? {
    parameters.first { $0.name == name }
  }

  /// The parameter introduced by this preposition word.
  public func parameter(preposition word: String) -> ParameterSpec? {
    parameters.first { $0.preposition == word }
  }

  /// Problems that make the signature ambiguous: duplicate parameter names or prepositions, or a
  /// default whose kind does not match the parameter type. Empty when the signature is sound.
  public var problems: [String] {
    var result: [String] = []
    var names: Set<String> = []
    var words: Set<String> = []
    for parameter in parameters {
      if !names.insert(parameter.name).inserted {
        result.append("\(name): parameter '\(parameter.name)' is declared twice")
      }
      if let word = parameter.preposition, !words.insert(word).inserted {
        result.append("\(name): preposition '\(word)' is used by two parameters")
      }
      if case .value(let literal) = parameter.defaultValue,
        !Self.literal(literal, fits: parameter.type)
      {
        result.append(
          "\(name): default \(literal) of '\(parameter.name)' is not \(parameter.type.withArticle)")
      }
    }
    return result
  }

  private static func literal(_ literal: Literal, fits type: ValueType) -> Bool {
    switch literal {
    case .number: return type == .number || type == .any
    case .text: return type == .text || type == .any
    case .bool: return type == .bool || type == .any
    case .symbol: return !type.isList
    case .list(let items):
      guard let element = type.element else { return type == .any }
      return items.allSatisfy { Self.literal($0, fits: element) }
    }
  }
}
