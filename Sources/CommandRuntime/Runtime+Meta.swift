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

extension String {
  /// The string without leading and trailing spaces and tabs.
  var trimmingBlanks: String {
    var slice = Substring(self)
    while let first = slice.first, first == " " || first == "\t" { slice.removeFirst() }
    while let last = slice.last, last == " " || last == "\t" { slice.removeLast() }
    return String(slice)
  }
}
