import ArgumentParser
import Foundation

/// `shears run FILE`: checks the whole script, then runs its commands in order, stopping at
/// the first error.
struct RunCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "run",
    abstract: "Run a script of commands (a .shears file; - reads standard input).",
    discussion: """
      The whole file is type-checked first: a parse or type error runs nothing (status 2).
      Then the commands run in order; the first failure stops the run (status 3).
      Example: shears run sessions/quickstart.shears --limit 500
      """)

  @Argument(help: "The script, or - for standard input.")
  var file: String

  @OptionGroup var settings: RuntimeSettings

  func run() throws {
    let output = TerminalOutput.detect(quiet: settings.quiet)
    if file == "-" {
      let runtime = try settings.makeRuntime(output: output)
      let runner = ScriptRunner(runtime: runtime, output: output, echo: settings.echo)
      try exitIfFailed(runner.runStream(name: "<stdin>"))
      return
    }
    let source = try ScriptFile.read(file)
    let runtime = try settings.makeRuntime(output: output)
    let runner = ScriptRunner(runtime: runtime, output: output, echo: settings.echo)
    try exitIfFailed(runner.runFile(source: source, name: file))
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
