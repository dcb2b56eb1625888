/// One lexical token with its source range.
public struct Token: Hashable, Sendable {
  /// The token's category and payload.
  public enum Kind: Hashable, Sendable {
    /// An identifier such as `m`, `fashion-mnist` or `layer2.0.conv1`.
    case word(String)
    /// A number or percentage.
    case number(NumberLiteral)
    /// A text literal, escapes already decoded.
    case text(String)
    /// `true` or `false`.
    case bool(Bool)
    /// `[`
    case leftBracket
    /// `]`
    case rightBracket
    /// `(`
    case leftParen
    /// `)`
    case rightParen
    /// `,`
    case comma
    /// `=`
    case equals
    /// The end of a statement: a line break outside brackets.
    case newline
    /// A whole meta-command line: `:name raw argument text`.
    case meta(name: String, nameRange: SourceRange, argument: String, argumentRange: SourceRange)
    /// Something the lexer already reported as a diagnostic.
    case invalid
    /// The end of the input.
    case end
  }

  /// The category and payload.
  public var kind: Kind
  /// Where the token is.
  public var range: SourceRange

  /// Creates a token.
  public init(_ kind: Kind, _ range: SourceRange) {
    self.kind = kind
    self.range = range
  }

  /// A short description for messages, e.g. `word 'm'`, `','`, `end of line`.
  public var summary: String {
    switch kind {
    case .word(let name): return "'\(name)'"
    case .number(let number): return "number \(number.text)"
    case .text(let text): return "text \"\(text)\""
    case .bool(let value): return "'\(value)'"
    case .leftBracket: return "'['"
    case .rightBracket: return "']'"
    case .leftParen: return "'('"
    case .rightParen: return "')'"
    case .comma: return "','"
    case .equals: return "'='"
    case .newline: return "end of line"
    case .meta(let name, _, _, _): return "':\(name)'"
    case .invalid: return "invalid input"
    case .end: return "end of input"
    }
  }
}
