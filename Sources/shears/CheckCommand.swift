import ArgumentParser
import CommandLanguage
import CommandRuntime

/// `shears check FILE`: parses and type-checks a whole script without running anything.
struct CheckCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "check",
    abstract: "Parse and type-check a script without running anything.",
    discussion: "Status 0 when the script is sound, 2 with its errors on standard error.")

  @ArgumentParser.Argument(help: "The script.")
  var file: String

  func run() throws {
    let source = try ScriptFile.read(file)
    let context = ShellCheckContext(
      base: RuntimeCheckContext(
        registry: .standard, environment: Environment(), purpose: .checking))
    let result = Checker(context: context).check(source: source)
    if result.diagnostics.isEmpty {
      let count = result.statements.count
      Console.line("\(file): \(count) statement\(count == 1 ? "" : "s"), no errors")
      return
    }
    Console.error(
      DiagnosticRenderer(style: .file(name: file)).render(result.diagnostics, in: source))
    let count = max(result.errorCount, result.diagnostics.count)
    Console.error("\(file): \(count) error\(count == 1 ? "" : "s"); nothing was run")
    throw ExitCode(ExitStatus.checkError)
  }
}
