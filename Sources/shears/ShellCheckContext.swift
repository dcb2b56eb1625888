import CommandLanguage
import CommandRuntime

/// The runtime's check context plus the meta commands the shell answers itself, `:save` and
/// `:load` (the runtime alone does not know them), for checking scripts and completing lines.
struct ShellCheckContext: CheckContext {
  /// The meta commands the shell adds.
  static let sessionCommands = ["load", "save"]

  /// The runtime's context.
  let base: RuntimeCheckContext

  func signature(of command: String) -> CommandSignature? { base.signature(of: command) }
  var commandNames: [String] { base.commandNames }
  func type(ofVariable name: String) -> ValueType? { base.type(ofVariable: name) }
  var variableNames: [String] { base.variableNames }
  func symbols(accepting type: ValueType) -> [String] { base.symbols(accepting: type) }
  func type(ofSymbol word: String) -> ValueType? { base.type(ofSymbol: word) }
  var metaCommandNames: [String] { (base.metaCommandNames + Self.sessionCommands).sorted() }

  /// Checks a whole script against `runtime`'s bindings, accepting `:save` and `:load`.
  static func check(script source: String, runtime: Runtime) -> ScriptCheck {
    Checker(context: ShellCheckContext(base: runtime.checkContext())).check(source: source)
  }
}
