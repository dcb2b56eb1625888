import ArgumentParser
import Foundation

/// `shears` (or `shears shell`): the interactive shell on a terminal; with standard input
/// from a pipe or file, the commands read from it, in order, stopping at the first error.
struct ShellCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "shell",
    abstract: "The interactive shell (the default); reads commands from a pipe too.",
    discussion: """
      At the prompt: Tab completes, Up and Ctrl-R recall history \
      ($XDG_STATE_HOME/shears/history, or SHEARS_HISTORY), Ctrl-C stops a running command, \
      Ctrl-D leaves. :help lists the commands.

      :save FILE writes the session (FILE.json, its values in FILE.blobs/); :load FILE \
      continues a saved one. Every finished cell is journaled (appended and flushed to disk) \
      to --journal FILE, or at the prompt to a new file in $XDG_STATE_HOME/shears/sessions/ \
      (the newest 50 are kept there; older ones are removed with their blobs): a crash or a \
      kill loses only the cell that was running, and shears --resume JOURNAL \
      picks the session up again. --resume restores the bindings from the session's blobs \
      without recomputing them, and runs with the session's recorded seed, threads and \
      data limit.
      """)

  @OptionGroup var settings: RuntimeSettings

  @Option(help: "Continue a saved session or a journal (its bindings restored, nothing rerun).")
  var resume: String?

  @Option(help: "Journal every finished cell to this file (it must not exist yet).")
  var journal: String?

  @Flag(help: "Do not journal the session.")
  var noJournal = false

  func run() throws {
    let output = TerminalOutput.detect(quiet: settings.quiet)
    let interactive = isatty(STDIN_FILENO) == 1
    let session = try openSession(output: output, interactive: interactive)
    defer { session.discardEmptyJournal() }
    if interactive {
      try exitIfFailed(Repl(session: session, output: output, echo: settings.echo).run())
    } else {
      var runner = ScriptRunner(runtime: session.runtime, output: output, echo: settings.echo)
      runner.session = session
      try exitIfFailed(runner.runStream(name: "<stdin>"))
    }
  }

  /// The session: resumed from `--resume`, or new; journaled as asked (at the prompt by
  /// default, from a pipe only with `--journal`).
  private func openSession(output: TerminalOutput, interactive: Bool) throws -> ShellSession {
    if noJournal && journal != nil {
      throw ValidationError("--journal and --no-journal exclude each other")
    }
    let choice: ShellSession.JournalChoice =
      if let journal { .file(journal) } else if interactive && !noJournal { .automatic } else {
        .none
      }
    do {
      if let resume {
        return try ShellSession.resume(resume, output: output, journal: choice)
      }
      let runtime = try settings.makeRuntime(output: output)
      return try ShellSession.start(runtime: runtime, output: output, journal: choice)
    } catch let exit as ExitCode {
      throw exit
    } catch {
      throw sessionFailure(error)
    }
  }
}

/// Throws the status as an `ExitCode` unless it is 0.
func exitIfFailed(_ status: Int32) throws {
  if status != ExitStatus.ok { throw ExitCode(status) }
}
