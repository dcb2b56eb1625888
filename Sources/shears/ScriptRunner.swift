import CommandLanguage
import CommandRuntime
import LineEditing

/// Runs commands that do not come from a person at a terminal: a script file or a stream.
///
/// Errors go to standard error as `NAME:LINE:COLUMN` diagnostics (parse and type errors, status
/// 2) or `NAME:LINE: error: …` (runtime errors and interrupts, status 3); the first error
/// stops the run.
struct ScriptRunner {
  let runtime: Runtime
  let output: TerminalOutput
  let echo: Bool
  /// The session that records the cells and answers `:save` and `:load` (none: the cells run
  /// on ``runtime`` unrecorded).
  var session: ShellSession?

  /// Checks the whole `source`, then runs its statements one cell each.
  func runFile(source: String, name: String) -> Int32 {
    let check =
      session == nil
      ? runtime.check(script: source) : ShellCheckContext.check(script: source, runtime: runtime)
    if !check.diagnostics.isEmpty {
      Console.error(
        DiagnosticRenderer(style: .file(name: name)).render(check.diagnostics, in: source))
      let count = max(check.errorCount, check.diagnostics.count)
      Console.error("\(name): \(count) error\(count == 1 ? "" : "s"); nothing was run")
      return ExitStatus.checkError
    }
    let characters = Array(source)
    for entry in check.entries(in: source) {
      switch entry {
      case .narration(let block):
        narrate(block.text)
      case .statement(let statement):
        let range = statement.statement.range
        let end = min(range.offset + range.length, characters.count)
        let text = String(characters[range.offset..<end])
        if let status = run(text, line: range.line, name: name) { return status }
      }
    }
    return ExitStatus.ok
  }

  /// Shows a narration block (with `--echo`) and keeps it in the session as a text cell.
  private func narrate(_ text: String) {
    if echo && !output.quiet {
      Console.line("")
      for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
        Console.line(line.isEmpty ? "" : "  " + line)
      }
      Console.line("")
    }
    session?.note(text)
  }

  /// Reads all of standard input, then runs it like a script file: the whole input is checked
  /// first (a parse or type error anywhere means nothing runs), then run statement by statement.
  func runStream(name: String) -> Int32 {
    var reader = PlainLineReader()
    var lines: [String] = []
    while case .line(let line) = reader.readLine(prompt: "") { lines.append(line) }
    return runFile(source: lines.joined(separator: "\n"), name: name)
  }

  /// Whether `text` holds no statement and no error (blank lines and comments).
  static func isBlank(_ text: String) -> Bool {
    let parsed = Parser.parse(text)
    return parsed.statements.isEmpty && parsed.diagnostics.isEmpty
  }

  /// Runs one entry that starts on `line`; returns an exit status when the run must stop.
  private func run(_ text: String, line: Int, name: String) -> Int32? {
    if echo && !output.quiet {
      let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
      for (index, shown) in lines.enumerated() {
        Console.line((index == 0 ? Repl.prompt : Repl.continuationPrompt) + shown)
      }
    }
    if let session, let succeeded = session.runSessionCommand(text) {
      return succeeded ? nil : ExitStatus.runtimeError
    }
    let outcome = session?.execute(text) ?? runtime.execute(text)
    output.finishProgressLine()
    switch outcome.status {
    case .ok:
      return outcome.quit ? ExitStatus.ok : nil
    case .error(.check, _):
      // Shift the diagnostics to the entry's place in the input.
      let shifted = outcome.diagnostics.map { diagnostic -> Diagnostic in
        var moved = diagnostic
        moved.range.line += line - 1
        return moved
      }
      let padded = String(repeating: "\n", count: line - 1) + text
      Console.error(DiagnosticRenderer(style: .file(name: name)).render(shifted, in: padded))
      return ExitStatus.checkError
    case .error(.runtime, let message):
      Console.error("\(name):\(line): error: \(message)")
      return ExitStatus.runtimeError
    case .interrupted:
      Console.error("\(name):\(line): interrupted; the run stops here")
      return ExitStatus.runtimeError
    }
  }
}
