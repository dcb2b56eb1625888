import CommandLanguage
import CommandRuntime
import Foundation
import LineEditing

/// The interactive loop: prompt, read (with a continuation prompt while brackets are open),
/// check and run, show errors under the line, repeat until `:quit` or Ctrl-D.
///
/// Ctrl-C at the prompt drops the line being typed; while a command runs it sets the interrupt
/// flag, which the runtime polls (training stops at the next batch) — the shell and its
/// bindings stay.
///
/// Every finished cell is recorded in the ``ShellSession`` (and journaled when it journals);
/// `:save FILE` and `:load FILE` are handled here, outside the cells.
struct Repl {
  /// The prompt.
  static let prompt = "shears> "
  /// The prompt while brackets or a text are still open; as wide as ``prompt``.
  static let continuationPrompt = "   ...> "

  let session: ShellSession
  let output: TerminalOutput
  let echo: Bool
  /// The lesson being stepped through (`shears lesson N`): Enter and `:next` run its next
  /// cell, `:quit` leaves with the place kept; nil for the plain shell.
  var guide: LessonGuide? = nil

  /// The lines of the entry being typed, shared with the completion callback.
  final class Pending {
    var text = ""
  }

  func run() -> Int32 {
    let pending = Pending()
    let session = self.session
    var reader = makeStandardLineReader(
      completion: { line, cursor in
        Repl.complete(
          line: line, cursor: cursor, pending: pending.text, runtime: session.runtime)
      })
    InterruptFlag.install()
    session.runtime.shouldStop = { InterruptFlag.isSet }
    for warning in reader.startupWarnings { Console.error("\(warning)") }
    if reader is EditLineReader {
      Console.line(
        "shears \(ShearsVersion.current): :help lists the commands, Tab completes, Ctrl-D leaves")
      if let journal = session.journalPath { Console.line("journal: \(journal)") }
    }
    loop: while true {
      if let guide, pending.text.isEmpty, !guide.announce() { break loop }
      let prompt =
        !pending.text.isEmpty
        ? Self.continuationPrompt : guide == nil ? Self.prompt : LessonGuide.prompt
      switch reader.readLine(prompt: prompt) {
      case .line(let line):
        let text = pending.text.isEmpty ? line : pending.text + "\n" + line
        if isIncomplete(text) {
          pending.text = text
          continue
        }
        pending.text = ""
        if let guide {
          let typed = text.trimmingCharacters(in: .whitespaces)
          if typed.isEmpty || typed == ":next" {
            InterruptFlag.clear()
            if let outcome = guide.runNext() {
              output.finishProgressLine()
              report(outcome)
            }
            continue
          }
          if typed == ":quit" { break loop }
        }
        if text.allSatisfy(\.isWhitespace) { continue }
        reader.addHistory(text.replacingOccurrences(of: "\n", with: " "))
        if let warning = reader.saveHistory() { Console.error("\(warning)") }
        if ScriptRunner.isBlank(text) { continue }  // only a comment: no cell
        if echo && !(reader is EditLineReader) { Console.line(Self.prompt + text) }
        InterruptFlag.clear()
        if session.runSessionCommand(text) != nil { continue }  // :save, :load: not cells
        let outcome = session.execute(text)
        output.finishProgressLine()
        report(outcome)
        if outcome.quit { break loop }
      case .interrupted:
        pending.text = ""
      case .endOfInput:
        break loop
      }
    }
    if let warning = reader.saveHistory() { Console.error("\(warning)") }
    return ExitStatus.ok
  }

  /// Shows a failed cell: diagnostics with a caret under the typed line, or the error.
  private func report(_ outcome: CellOutcome) {
    switch outcome.status {
    case .ok:
      break
    case .error(.check, _):
      let renderer = DiagnosticRenderer(style: .prompt(width: Self.prompt.count))
      Console.error(renderer.render(outcome.diagnostics, in: outcome.input))
    case .error(.runtime, let message):
      Console.error("error: \(message)")
    case .interrupted:
      Console.error("interrupted: nothing was bound; the variables are as they were")
    }
  }

  /// Completion candidates for libedit's word at `cursor` in `line`, read in the context of the
  /// lines already typed for this entry.
  static func complete(line: String, cursor: Int, pending: String, runtime: Runtime) -> [String] {
    let head = pending.isEmpty ? "" : pending + "\n"
    let context = ShellCheckContext(base: runtime.checkContext(purpose: .completion))
    let completion = Completer.complete(head + line, cursor: head.count + cursor, context: context)
    let start = max(0, completion.start - head.count)
    return CompletionWord.rebase(completion.candidates, start: start, in: line, cursor: cursor)
  }
}
