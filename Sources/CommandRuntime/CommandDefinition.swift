import CommandLanguage

/// Where a command is listed in `:help`.
public enum CommandGroup: String, Sendable, CaseIterable {
  /// Loading data, building, saving and loading models.
  case data = "data and models"
  /// Training and evaluating.
  case training = "training and evaluation"
  /// Scoring filters and everything that leads to a smaller model.
  case pruning = "scoring and pruning"
  /// Comparing criteria and models.
  case analysis = "analysis"
  /// Looking at values, pictures, explanations and timings.
  case inspection = "inspection"
}

/// One command: its signature (read by the checker, completion and `:help`), its help group,
/// and the code that runs it.
///
/// The code gets the evaluated ``Arguments`` (every parameter bound, defaults filled in) and a
/// ``CommandContext`` (compute context, this statement's random generator, output, interrupt),
/// and returns the result value, or nil for a command whose result type is
/// ``ValueType/nothing``. It throws ``RuntimeError`` (or an engine error, which the runtime
/// wraps) when it cannot finish.
public struct CommandDefinition: Sendable {
  /// Name, parameters, result type, one-line doc, example.
  public var signature: CommandSignature
  /// Where `:help` lists it.
  public var group: CommandGroup
  /// Runs the command.
  public var run: @Sendable (Arguments, CommandContext) throws -> (any Value)?
  /// Whether the command emits its result's tables and pictures itself (even when the result
  /// is bound), so the runtime must not show the result's details again when it is not.
  var showsResult: Bool

  /// Creates a command.
  public init(
    _ signature: CommandSignature, group: CommandGroup, showsResult: Bool = false,
    run: @escaping @Sendable (Arguments, CommandContext) throws -> (any Value)?
  ) {
    self.signature = signature
    self.group = group
    self.showsResult = showsResult
    self.run = run
  }

  /// The command name.
  public var name: String { signature.name }
}
