import CommandLanguage

/// The evaluated arguments of one command call: every parameter of the signature, with
/// defaults filled in; optional parameters that were left out have no value.
///
/// The accessors throw ``RuntimeError/internalInconsistency(_:)`` when a value has a kind the
/// checker should have ruled out, so commands never trap on a type mismatch.
public struct Arguments {
  /// The command's name, for messages.
  public let command: String
  private let values: [String: any Value]
  private let given: Set<String>

  /// Arguments of `command`: values by parameter name, and the names written in the call.
  public init(command: String, values: [String: any Value], given: Set<String>) {
    self.command = command
    self.values = values
    self.given = given
  }

  /// The value of `name`, or nil when the optional parameter was left out.
  public func value(_ name: String) -> (any Value)? { values[name] }

  /// Whether the call wrote `name` (rather than taking its default).
  func isGiven(_ name: String) -> Bool { given.contains(name) }

  private func missing(_ name: String) -> RuntimeError {
    .internalInconsistency("\(command): no value for parameter '\(name)'")
  }

  private func mismatch(_ name: String, _ expected: String, _ value: any Value) -> RuntimeError {
    .internalInconsistency(
      "\(command): parameter '\(name)' holds \(value.type.withArticle), expected \(expected)")
  }

  /// The value of `name` as a `T`, or nil when left out.
  public func optional<T: Value>(_ name: String, as type: T.Type) throws -> T? {
    guard let value = values[name] else { return nil }
    guard let typed = value as? T else { throw mismatch(name, String(describing: T.self), value) }
    return typed
  }

  /// The value of `name` as a `T`.
  public func required<T: Value>(_ name: String, as type: T.Type) throws -> T {
    guard let value = try optional(name, as: type) else { throw missing(name) }
    return value
  }

  /// A Model argument.
  public func model(_ name: String) throws -> ModelValue { try required(name, as: ModelValue.self) }

  /// A Dataset argument.
  public func dataset(_ name: String) throws -> DatasetValue {
    try required(name, as: DatasetValue.self)
  }

  /// An optional Dataset argument.
  func optionalDataset(_ name: String) throws -> DatasetValue? {
    try optional(name, as: DatasetValue.self)
  }

  /// A Criterion argument.
  public func criterion(_ name: String) throws -> CriterionValue {
    try required(name, as: CriterionValue.self)
  }

  /// An optional Number argument.
  func optionalDouble(_ name: String) throws -> Double? {
    try optional(name, as: NumberValue.self)?.value
  }

  /// A Number argument.
  public func double(_ name: String) throws -> Double {
    guard let value = try optionalDouble(name) else { throw missing(name) }
    return value
  }

  /// An optional whole-number argument (the checker has ensured it is whole).
  func optionalInt(_ name: String) throws -> Int? {
    guard let value = try optionalDouble(name) else { return nil }
    guard value.isFinite, value == value.rounded(), abs(value) < 1e15 else {
      throw RuntimeError.invalidArgument(
        command: command, name: name, problem: "expected a whole number, got \(value)")
    }
    return Int(value)
  }

  /// A whole-number argument.
  func int(_ name: String) throws -> Int {
    guard let value = try optionalInt(name) else { throw missing(name) }
    return value
  }

  /// An optional Text argument, or a word (symbol) given for it.
  func optionalText(_ name: String) throws -> String? {
    guard let value = values[name] else { return nil }
    if let text = value as? TextValue { return text.value }
    if let symbol = value as? SymbolValue { return symbol.word }
    throw mismatch(name, "Text", value)
  }

  /// A Text argument, or a word (symbol) given for it.
  public func text(_ name: String) throws -> String {
    guard let value = try optionalText(name) else { throw missing(name) }
    return value
  }

  /// An optional Bool argument.
  func optionalBool(_ name: String) throws -> Bool? {
    try optional(name, as: BoolValue.self)?.value
  }

  /// A Bool argument.
  public func bool(_ name: String) throws -> Bool {
    guard let value = try optionalBool(name) else { throw missing(name) }
    return value
  }

  /// The elements of a List argument.
  public func list(_ name: String) throws -> [any Value] {
    try required(name, as: ListValue.self).elements
  }
}
