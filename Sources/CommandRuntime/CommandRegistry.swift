import CommandLanguage

/// The one list of commands: the checker, Tab completion, `:help` and the runtime all read it.
///
/// ## How to add a command
///
/// 1. Write one file `Sources/CommandRuntime/Commands/<Name>Command.swift` with
///    ```swift
///    extension CommandDefinition {
///      /// `prune m with p`: removes the channels a plan selects.
///      public static let prune = CommandDefinition(
///        CommandSignature(
///          name: "prune",
///          parameters: [
///            ParameterSpec("model", .model, summary: "the model to shrink"),
///            ParameterSpec("plan", .plan, .preposition("with"), summary: "what to remove"),
///          ],
///          result: .model, summary: "Remove the channels a plan selects.",
///          example: "m2 = prune m with p"),
///        group: .pruning
///      ) { arguments, context in
///        let model = try arguments.model("model")
///        // … call the engine; draw randomness only from context.rng (or its children),
///        // report long work with context.progress(_:), poll context.shouldStop …
///        return ModelValue(network: pruned, metadata: model.metadata)
///      }
///    }
///    ```
///    Every parameter gets a one-line `summary`; the signature gets a one-line `summary` and
///    one `example` (the `CommandRuntimeTests` check both, and check every example).
/// 2. Add `.prune` to ``standard`` below, where `:help` should list it.
/// 3. If it returns a new kind of value, add the value type in `Values/` and its decoder to
///    ``ValueKinds/standard``.
public struct CommandRegistry: Sendable {
  /// The commands, in `:help` order within their groups.
  public private(set) var commands: [CommandDefinition]

  /// A registry of `commands` (a later command with an existing name is ignored).
  public init(_ commands: [CommandDefinition]) {
    var seen: Set<String> = []
    self.commands = commands.filter { seen.insert($0.name).inserted }
  }

  /// Every command CommandRuntime defines.
  public static let standard = CommandRegistry([
    .data, .model, .load, .save, .write,
    .train, .eval, .finetune, .compare,
    .score, .groups, .plan, .prune, .gradual,
    .similarity, .cluster, .blend, .cwda, .sensitivity, .profile,
    .show, .plot, .explain, .bench,
  ])

  /// The command called `name`.
  public func command(named name: String) -> CommandDefinition? {
    commands.first { $0.name == name }
  }

  /// The command names in listing order.
  public var names: [String] { commands.map(\.name) }

  /// The commands of `group` in listing order.
  public func commands(in group: CommandGroup) -> [CommandDefinition] {
    commands.filter { $0.group == group }
  }

  /// Problems that make a signature ambiguous or its help incomplete; empty when sound.
  public var problems: [String] {
    var result: [String] = []
    for command in commands {
      result += command.signature.problems
      if command.signature.summary.isEmpty { result.append("\(command.name): no summary") }
      if command.signature.example.isEmpty { result.append("\(command.name): no example") }
      for parameter in command.signature.parameters where parameter.summary.isEmpty {
        result.append("\(command.name): parameter '\(parameter.name)' has no summary")
      }
    }
    return result
  }
}
