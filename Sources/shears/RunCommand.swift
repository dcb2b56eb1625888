import ArgumentParser
import Foundation

/// `shears run FILE`: checks the whole script, then runs its commands in order, stopping at
/// the first error.
struct RunCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "run",
    abstract: "Run a script of commands (a .shears file; - reads standard input).",
    discussion: """
      The whole file is type-checked first: a parse or type error runs nothing (status 2). \
      Then the commands run in order; the first failure stops the run (status 3).

      --record OUT.json keeps the run as a session (every cell's input, figures, output and \
      values, the values in OUT.blobs/) that shears replay can re-run and verify; while it \
      runs, each finished cell is journaled to OUT.journal. :save FILE in a script saves the \
      cells so far.

      Example: shears run sessions/quickstart.shears --limit 500 --record quickstart.json
      """)

  @Argument(help: "The script, or - for standard input.")
  var file: String

  @OptionGroup var settings: RuntimeSettings

  @Option(help: "Record the run as a session file (JSON; its values go in a .blobs folder).")
  var record: String?

  @Flag(help: "Replace an existing --record file.")
  var overwrite = false

  func run() throws {
    let output = TerminalOutput.detect(quiet: settings.quiet)
    let source = file == "-" ? nil : try ScriptFile.read(file)
    let runtime = try settings.makeRuntime(output: output)
    var runner = ScriptRunner(runtime: runtime, output: output, echo: settings.echo)
    // The cells are always recorded (in memory) so that :save works in a script too.
    var recording: SessionRecording?
    if let record {
      let started = try SessionRecording.start(
        record, overwrite: overwrite, runtime: runtime, output: output)
      runner.session = started.session
      recording = started
    } else {
      do {
        runner.session = try ShellSession.start(runtime: runtime, output: output, journal: .none)
      } catch {
        throw sessionFailure(error)
      }
    }
    let status =
      if let source { runner.runFile(source: source, name: file) } else {
        runner.runStream(name: "<stdin>")
      }
    try recording?.finish(quiet: settings.quiet)
    try exitIfFailed(status)
  }
}

/// Reading a script file, with a usage error (status 1) when it cannot be read.
enum ScriptFile {
  static func read(_ path: String) throws -> String {
    guard let data = FileManager.default.contents(atPath: path) else {
      var isFolder: ObjCBool = false
      let exists = FileManager.default.fileExists(atPath: path, isDirectory: &isFolder)
      let reason = !exists ? "no such file" : isFolder.boolValue ? "it is a folder" : "not readable"
      Console.error("error: cannot read the script \(path): \(reason)")
      throw ExitCode(ExitStatus.usage)
    }
    return String(decoding: data, as: UTF8.self)
  }
}
