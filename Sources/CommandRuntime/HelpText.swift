import CommandLanguage
import Foundation

/// The text of `:help`: the command list by group, and one command's usage, parameters and
/// example — all read from the registry.
public enum HelpText {
  /// All commands by group with their one-line docs, then the meta commands.
  public static func overview(_ registry: CommandRegistry) -> String {
    var lines: [String] = []
    let width = (registry.names.map(\.count).max() ?? 0) + 2
    for group in CommandGroup.allCases {
      let commands = registry.commands(in: group)
      guard !commands.isEmpty else { continue }
      lines.append("\(group.rawValue):")
      for command in commands {
        let padded = command.name.padding(toLength: width, withPad: " ", startingAt: 0)
        lines.append("  \(padded)\(command.signature.summary)")
      }
    }
    let ideas = ExplainTopics.standard.names.filter { registry.command(named: $0) == nil }
    lines.append("explain topics (explain TOPIC [m|p]): every command above, and")
    lines.append(
      TextWrap.wrap(ideas.joined(separator: ", "), width: 88).split(separator: "\n")
        .map { "  " + $0 }.joined(separator: "\n"))
    lines.append("meta commands:")
    lines.append("  :help [command]  this list, or one command's parameters and example")
    lines.append("  :type expr       the type of an expression, without running it")
    lines.append("  :vars            the bound variables")
    lines.append("  :save FILE       save the session (cells, figures, values) as JSON")
    lines.append("  :load FILE       restore a saved session's bindings without recomputing")
    lines.append("  :quit            leave (Ctrl-D too); Ctrl-C stops a running command")
    return lines.joined(separator: "\n")
  }

  /// `train <model> on <data> [epochs=1] [lr=0.1] …`.
  public static func usage(_ signature: CommandSignature) -> String {
    var parts = [signature.name]
    for parameter in signature.parameters {
      let placeholder = "<\(parameter.name)>"
      var part: String
      switch parameter.kind {
      case .positional: part = placeholder
      case .preposition(let word): part = "\(word) \(placeholder)"
      case .keyword: part = "\(parameter.name)=\(defaultText(parameter) ?? "…")"
      }
      if !parameter.isRequired { part = "[\(part)]" }
      parts.append(part)
    }
    return parts.joined(separator: " ")
  }

  /// The default as written (`0.1`, `cosine`), or nil when there is none.
  static func defaultText(_ parameter: ParameterSpec) -> String? {
    if case .value(let literal) = parameter.defaultValue { return literal.description }
    return nil
  }

  /// Usage, doc, a line per parameter, and the example.
  public static func command(_ command: CommandDefinition) -> String {
    let signature = command.signature
    var lines = [usage(signature), "  " + signature.summary]
    if signature.result != .nothing {
      lines.append("  gives \(signature.result.withArticle)")
    }
    if !signature.parameters.isEmpty {
      lines.append("parameters:")
      let width = (signature.parameters.map(\.name.count).max() ?? 0) + 2
      for parameter in signature.parameters {
        var facts = [parameter.type.description]
        switch parameter.defaultValue {
        case .required: facts.append("required")
        case .optional: facts.append("optional")
        case .value(let literal): facts.append("default \(literal)")
        }
        if let range = parameter.range { facts.append(range.description) }
        if parameter.integerOnly { facts.append("whole") }
        if !parameter.symbols.isEmpty {
          facts.append("one of " + parameter.symbols.joined(separator: ", "))
        }
        let name = parameter.name.padding(toLength: width, withPad: " ", startingAt: 0)
        lines.append("  \(name)\(parameter.summary) (\(facts.joined(separator: "; ")))")
      }
    }
    lines.append("example:")
    lines.append("  " + signature.example)
    return lines.joined(separator: "\n")
  }
}
