/// A ``CheckContext`` built from plain tables: signatures, variable types and symbols per type.
///
/// ```swift
/// let context = StaticCheckContext(
///   signatures: [pruneSignature], variables: ["m": .model],
///   symbols: [.criterion: ["l1", "l2", "fpgm"]])
/// ```
public struct StaticCheckContext: CheckContext, Sendable {
  /// Signatures by command name.
  public internal(set) var signatures: [String: CommandSignature]
  /// Variable types by name.
  public var variables: [String: ValueType]
  /// Accepted symbols by type.
  var symbolTable: [ValueType: [String]]
  /// The meta command names (without the colon).
  public internal(set) var metaCommandNames: [String]

  /// Creates a context from a list of signatures, variable types and symbols.
  public init(
    signatures: [CommandSignature], variables: [String: ValueType] = [:],
    symbols: [ValueType: [String]] = [:], metaCommandNames: [String] = MetaCommand.standardNames
  ) {
    self.signatures = Dictionary(signatures.map { ($0.name, $0) }, uniquingKeysWith: { $1 })
    self.variables = variables
    self.symbolTable = symbols
    self.metaCommandNames = metaCommandNames
  }

  /// The signature of the command with this name.
  public func signature(of command: String) -> CommandSignature? { signatures[command] }
  /// All command names, sorted.
  public var commandNames: [String] { signatures.keys.sorted() }
  /// The type of a variable.
  public func type(ofVariable name: String) -> ValueType? { variables[name] }
  /// All variable names, sorted.
  public var variableNames: [String] { variables.keys.sorted() }
  /// The symbols listed for `type`.
  public func symbols(accepting type: ValueType) -> [String] { symbolTable[type] ?? [] }

  /// The first type (by name) whose symbols include `word`.
  public func type(ofSymbol word: String) -> ValueType? {
    symbolTable.keys.sorted { $0.description < $1.description }.first {
      symbolTable[$0]?.contains(word) == true
    }
  }
}
