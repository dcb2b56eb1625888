import ArgumentParser
import Foundation

/// `shears` (or `shears shell`): the interactive shell on a terminal; with standard input
/// from a pipe or file, the commands read from it, in order, stopping at the first error.
struct ShellCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "shell",
    abstract: "The interactive shell (the default); reads commands from a pipe too.",
    discussion: """
      At the prompt: Tab completes, Up and Ctrl-R recall history ($XDG_STATE_HOME/shears/history,
      or SHEARS_HISTORY), Ctrl-C stops a running command, Ctrl-D leaves. :help lists the commands.
      """)

  @OptionGroup var settings: RuntimeSettings

  func run() throws {
    let output = TerminalOutput.detect(quiet: settings.quiet)
    let runtime = try settings.makeRuntime(output: output)
    if isatty(STDIN_FILENO) == 1 {
      try exitIfFailed(Repl(runtime: runtime, output: output, echo: settings.echo).run())
    } else {
      let runner = ScriptRunner(runtime: runtime, output: output, echo: settings.echo)
      try exitIfFailed(runner.runStream(name: "<stdin>"))
    }
  }
}

/// Throws the status as an `ExitCode` unless it is 0.
func exitIfFailed(_ status: Int32) throws {
  if status != ExitStatus.ok { throw ExitCode(status) }
}
