import CommandLanguage
import Render

extension Runtime {
  /// Answers `:help`, `:type`, `:vars` and `:quit`.
  func runMeta(
    _ meta: MetaCommand, typed: CheckedExpression?, recorder: CellRecorder,
    outcome: inout CellOutcome
  ) throws {
    switch meta.name {
    case "help":
      let topic = meta.argument.trimmingBlanks
      if topic.isEmpty {
        recorder.emit(.text(HelpText.overview(registry)))
      } else if topic.hasPrefix(":") {
        let name = String(topic.dropFirst())
        guard let text = Self.metaHelp[name] else {
          let names = Self.metaHelp.keys.sorted().map { ":" + $0 }.joined(separator: ", ")
          throw RuntimeError.unsupported(
            command: ":help", problem: "no meta command '\(topic)'; the meta commands are \(names)")
        }
        recorder.emit(.text(text))
      } else if let command = registry.command(named: topic) {
        recorder.emit(.text(HelpText.command(command)))
      } else if let entry = ExplainTopics.standard.topic(named: topic) {
        recorder.emit(
          .text("\(topic) is a topic, not a command: explain \(topic)\n\(entry.summary)"))
      } else {
        var problem = "no command '\(topic)'"
        if let near = Suggestion.closest(to: topic, among: registry.names) {
          problem += "; did you mean '\(near)'?"
        } else {
          problem += "; :help lists the commands"
        }
        throw RuntimeError.unsupported(command: ":help", problem: problem)
      }
    case "type":
      guard let typed else {
        throw RuntimeError.internalInconsistency(":type without a checked expression")
      }
      let text = meta.argument.trimmingBlanks
      recorder.emit(.text("\(text) : \(typed.type)"))
    case "vars":
      let bindings = environment.bindings
      if bindings.isEmpty {
        recorder.emit(.text("no variables are bound yet; assign one with name = command …"))
      } else {
        var table = Table(
          columns: [.text("name"), .text("type"), .numeric("cell"), .text("value")])
        for binding in bindings {
          table.addRow([
            binding.name, binding.value.type.description,
            binding.cell > 0 ? String(binding.cell) : "-", binding.value.summary,
          ])
        }
        recorder.emit(.table(table))
      }
    case "quit":
      outcome.quit = true
    default:
      throw RuntimeError.unsupported(
        command: ":\(meta.name)", problem: "this meta command is not available here")
    }
  }
}

extension Runtime {
  /// One paragraph per meta command, for `:help :NAME` (`:save` and `:load` are the shell's).
  static let metaHelp: [String: String] = [
    "help": ":help [COMMAND | :META | TOPIC] — the commands, one command's parameters, a meta "
      + "command, or where a topic is explained.\nExample: :help train",
    "type": ":type EXPRESSION — the type of an expression, running nothing.\nExample: :type m",
    "vars": ":vars — the bound variables: name, type, the cell that bound each, and its value.",
    "quit": ":quit — leave the shell (the session stays in its journal).",
    "save": ":save FILE — write the session so far (inputs, figures, values) to FILE and its "
      + "blobs beside it; an existing FILE is refused, :save! FILE replaces it.\n"
      + "Example: :save lesson.json",
    "load": ":load FILE — replace the session with the one in FILE: its bindings come back "
      + "from the blobs, nothing is rerun; new cells follow its last.\n"
      + "Example: :load lesson.json",
  ]
}

extension String {
  /// The string without leading and trailing spaces and tabs.
  var trimmingBlanks: String {
    var slice = Substring(self)
    while let first = slice.first, first == " " || first == "\t" { slice.removeFirst() }
    while let last = slice.last, last == " " || last == "\t" { slice.removeLast() }
    return String(slice)
  }
}
