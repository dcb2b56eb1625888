import ArgumentParser
import Foundation

/// The `shears` command: the notebook shell for structured pruning, and its tools.
///
/// With no subcommand it starts the shell (or, when standard input is not a terminal, runs the
/// commands read from it).
struct Shears: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "shears",
    abstract: "A notebook shell for structured pruning of convolutional networks.",
    discussion: """
      Exit status: 0 ok, 1 usage or fatal error, 2 parse or type error, 3 runtime error,
      4 replay --verify found a cell that differs, 5 a session file or its blobs are damaged
      (truncated or invalid JSON, a missing or changed blob, a newer format).
      """,
    version: ShearsVersion.current,
    subcommands: [
      ShellCommand.self, RunCommand.self, CheckCommand.self, ReplayCommand.self,
      ExportCommand.self, LessonCommand.self, BenchCommand.self, ONNXCheckCommand.self,
      WorkerCommand.self,
    ],
    defaultSubcommand: ShellCommand.self)
}

/// The engine version recorded in sessions and benchmark reports.
enum ShearsVersion {
  static let current = "0.1.0"
}

/// The process exit statuses.
enum ExitStatus {
  /// Everything ran.
  static let ok: Int32 = 0
  /// Bad command-line usage, or a fatal problem (a file that cannot be read).
  static let usage: Int32 = 1
  /// A parse or type error: nothing (more) ran.
  static let checkError: Int32 = 2
  /// A command failed (or was interrupted) while running.
  static let runtimeError: Int32 = 3
  /// `replay --verify` found a cell whose figures, status or bindings differ from the record.
  static let verifyMismatch: Int32 = 4
  /// A session file or its blobs cannot be used: truncated or invalid JSON, not a session, a
  /// newer format, a missing or changed blob.
  static let badSession: Int32 = 5
}

/// The entry point: parses the arguments and maps every failure to the documented statuses
/// (ArgumentParser's own usage status, 64, becomes 1).
@main
enum Main {
  static func main() {
    do {
      var command = try Shears.parseAsRoot()
      try command.run()
    } catch let code as ExitCode {
      exit(code.rawValue)
    } catch {
      if Shears.exitCode(for: error) == .success {
        Shears.exit(withError: error)  // --help, --version: printed, status 0
      }
      Console.error(Shears.fullMessage(for: error))
      exit(ExitStatus.usage)
    }
  }
}
