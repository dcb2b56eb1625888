/// What the checker needs to know about the world: the commands, the bound variables, and the
/// symbols each type accepts.
///
/// The runtime implements it over its registry and environment; ``StaticCheckContext`` is a
/// ready-made one built from plain tables.
public protocol CheckContext {
  /// The signature of the command with this name, or nil if there is none.
  func signature(of command: String) -> CommandSignature?
  /// All command names (for suggestions and completion).
  var commandNames: [String] { get }
  /// The type of the bound variable with this name, or nil if it is not bound.
  func type(ofVariable name: String) -> ValueType?
  /// All bound variable names (for suggestions and completion).
  var variableNames: [String] { get }
  /// The words accepted as literal symbols of this type, e.g. criterion names for `Criterion`.
  func symbols(accepting type: ValueType) -> [String]
  /// The type a word denotes as a symbol wherever no type is expected (e.g. `fpgm` in
  /// `cs = [fpgm, l1]` or `:type fpgm`), or nil if it is not a symbol.
  func type(ofSymbol word: String) -> ValueType?
  /// The meta command names (without the colon).
  var metaCommandNames: [String] { get }
}

extension CheckContext {
  /// No word is a symbol outside a typed position by default.
  public func type(ofSymbol word: String) -> ValueType? { nil }
  /// The standard meta commands: ``MetaCommand/standardNames``.
  public var metaCommandNames: [String] { MetaCommand.standardNames }
}
