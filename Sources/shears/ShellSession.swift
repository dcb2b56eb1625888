import CommandLanguage
import CommandRuntime
import Foundation
import Notebook

/// The session behind a shell or a script run: the runtime, the recorder that journals every
/// finished cell, and the `:save FILE` and `:load FILE` meta commands (which are not cells:
/// they neither count nor are recorded).
final class ShellSession {
  /// Records the cells; replaced by `:load`.
  private(set) var recorder: SessionRecorder
  /// Where output goes.
  let output: TerminalOutput
  /// Whether a new journal is started after `:load` (the shell journals; a script run
  /// records only what it was asked to).
  private let journalsByDefault: Bool

  /// The runtime cells run on.
  var runtime: Runtime { recorder.runtime }

  /// Whether the journal is one the shell chose (and may remove when it stays empty).
  private var journalIsAutomatic: Bool

  private init(
    recorder: SessionRecorder, output: TerminalOutput, journalsByDefault: Bool,
    journalIsAutomatic: Bool
  ) {
    self.recorder = recorder
    self.output = output
    self.journalsByDefault = journalsByDefault
    self.journalIsAutomatic = journalIsAutomatic
  }

  /// Where a session is journaled.
  enum JournalChoice: Equatable {
    /// Nowhere (a script run, `--no-journal`, a pipe).
    case none
    /// To this file, which must not exist yet.
    case file(String)
    /// A resumed journal in place; anything else to a new file in the sessions folder
    /// (see ``JournalLocation``), with a warning when that cannot be written.
    case automatic
  }

  /// A new session on `runtime`, journaled as `choice` says.
  static func start(runtime: Runtime, output: TerminalOutput, journal choice: JournalChoice)
    throws -> ShellSession
  {
    let header = SessionHeader(
      engine: ShearsVersion.current, options: SessionOptions(runtime.options),
      environment: .current())
    let journal = try makeJournal(choice, header: header)
    let recorder = SessionRecorder(runtime: runtime, header: header, journal: journal)
    return ShellSession(
      recorder: recorder, output: output, journalsByDefault: choice != .none,
      journalIsAutomatic: choice == .automatic)
  }

  /// Continues the session or journal at `path`: a runtime with its recorded options, its
  /// bindings restored from the blobs (nothing is recomputed); new cells follow its last.
  static func resume(_ path: String, output: TerminalOutput, journal choice: JournalChoice)
    throws -> ShellSession
  {
    var loaded = try SessionFile.load(path)
    var journal: Journal?
    var journalHoldsCells = false
    if loaded.fromJournal && choice == .automatic {
      let opened = try Journal.open(at: path)
      journal = opened.0
      loaded = opened.1
      journalHoldsCells = true
    } else {
      journal = try makeJournal(choice, header: loaded.session.header)
    }
    if loaded.droppedTornLine {
      Console.error("note: \(path) ended with a cell cut short; it was left out")
    }
    let runtime = try makeRuntime(loaded.session.header.options, output: output)
    let (recorder, warnings) = try SessionRecorder.resuming(
      loaded.session, blobs: loaded.blobs, runtime: runtime, journal: journal,
      journalHoldsCells: journalHoldsCells)
    for warning in warnings { output.emit(.warning(warning)) }
    return ShellSession(
      recorder: recorder, output: output, journalsByDefault: choice != .none,
      journalIsAutomatic: false)
  }

  /// The journal `choice` asks for, starting with `header`.
  private static func makeJournal(_ choice: JournalChoice, header: SessionHeader) throws
    -> Journal?
  {
    switch choice {
    case .none:
      return nil
    case .file(let path):
      do {
        return try Journal.create(at: path, header: header)
      } catch NotebookError.exists(let path, _) {
        throw NotebookError.exists(
          path: path, hint: "continue it with --resume \(path)")
      }
    case .automatic:
      guard let path = JournalLocation.fresh() else {
        Console.error(
          "warning: the session is not journaled: neither HOME nor XDG_STATE_HOME is set")
        return nil
      }
      do {
        return try Journal.create(at: path, header: header)
      } catch {
        Console.error("warning: the session is not journaled: \(error)")
        return nil
      }
    }
  }

  /// A runtime with recorded options writing to `output`.
  static func makeRuntime(_ options: SessionOptions, output: TerminalOutput) throws -> Runtime {
    do {
      return try Runtime(options: options.runtimeOptions, output: output)
    } catch {
      throw ShellSessionError("cannot start the engine: \(error)")
    }
  }

  /// Runs one cell and records it; journal problems are shown as warnings.
  func execute(_ text: String) -> CellOutcome {
    let (outcome, warnings) = recorder.execute(text)
    for warning in warnings { output.emit(.warning(warning)) }
    return outcome
  }

  /// Keeps narration as a text cell of the session; it runs nothing and draws nothing.
  func note(_ text: String) {
    for warning in recorder.note(text) { output.emit(.warning(warning)) }
  }

  /// The journal file, while journaling.
  var journalPath: String? { recorder.journal?.path }

  /// Removes a journal the shell chose when no cell was recorded in it (a shell opened and
  /// closed).
  func discardEmptyJournal() {
    guard journalIsAutomatic, let path = journalPath, recorder.session.cells.isEmpty else {
      return
    }
    try? FileManager.default.removeItem(atPath: path)
    try? FileManager.default.removeItem(atPath: BlobStore.folder(for: path))
  }

  // MARK: - :save and :load

  /// The meta command `:save`, `:save!` (which may replace an existing file) or `:load` that
  /// `text` is, with its argument (quotes removed).
  static func sessionCommand(in text: String) -> (name: String, argument: String)? {
    let parsed = Parser.parse(text)
    guard parsed.diagnostics.isEmpty, parsed.statements.count == 1,
      case .meta(let meta) = parsed.statements[0].kind, meta.name == "save" || meta.name == "load"
    else { return nil }
    var name = meta.name
    var argument = meta.argument
    if name == "save" && argument.hasPrefix("!") {
      name = "save!"
      argument = String(argument.dropFirst()).trimmingCharacters(in: .whitespaces)
    }
    if argument.count >= 2, argument.hasPrefix("\""), argument.hasSuffix("\"") {
      argument = String(argument.dropFirst().dropLast())
    }
    return (name, argument)
  }

  /// Runs `:save` or `:load` when `text` is one; returns nil for any other text, else whether
  /// it succeeded (its message is shown either way).
  func runSessionCommand(_ text: String) -> Bool? {
    guard let (name, argument) = Self.sessionCommand(in: text) else { return nil }
    guard !argument.isEmpty else {
      Console.error("error: :\(name) needs a file name, e.g. :\(name) lesson.json")
      return false
    }
    do {
      if name == "save" || name == "save!" {
        do {
          try recorder.save(to: argument, overwrite: name == "save!")
        } catch NotebookError.exists(let path, _) {
          throw NotebookError.exists(path: path, hint: "write :save! \(argument) to replace it")
        }
        let count = recorder.session.cells.count
        output.emit(
          .text(
            "saved \(count) cell\(count == 1 ? "" : "s") to \(argument) "
              + "(values in \(BlobStore.folder(for: argument)))"))
      } else {
        try load(argument)
      }
      return true
    } catch {
      Console.error("error: \(error)")
      return false
    }
  }

  /// Replaces the session with the one at `path`: its options, its bindings (from the blobs,
  /// nothing recomputed), its cells; new cells follow its last. The current session is kept
  /// when anything fails.
  private func load(_ path: String) throws {
    let loaded = try SessionFile.load(path)
    let runtime = try Self.makeRuntime(loaded.session.header.options, output: output)
    runtime.shouldStop = self.runtime.shouldStop
    let journal =
      journalsByDefault || recorder.journal != nil
      ? try Self.makeJournal(.automatic, header: loaded.session.header) : nil
    let (recorder, warnings) = try SessionRecorder.resuming(
      loaded.session, blobs: loaded.blobs, runtime: runtime, journal: journal)
    self.recorder = recorder
    journalIsAutomatic = false  // it holds the loaded cells
    for warning in warnings { output.emit(.warning(warning)) }
    let bindings = runtime.environment.names
    var message =
      "loaded \(loaded.session.cells.count) cells from \(path); "
      + (bindings.isEmpty ? "nothing was bound" : "bound " + bindings.joined(separator: ", "))
    if let journal { message += "\njournal: \(journal.path)" }
    output.emit(.text(message))
  }
}

/// A failure of the shell's session handling, shown as `error: …`.
struct ShellSessionError: Error, CustomStringConvertible {
  let description: String
  init(_ description: String) { self.description = description }
}
