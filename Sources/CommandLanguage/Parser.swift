/// Parses source text into ``Statement``s, collecting lexical and syntax diagnostics.
///
/// Grammar (one statement per line; a line break inside `[ ]` or `( )` continues it):
/// ```
/// statement := ':' NAME REST-OF-LINE | WORD '=' expr | expr
/// expr      := WORD argument+ | atom
/// argument  := WORD '=' atom | atom
/// atom      := NUMBER | TEXT | 'true' | 'false' | WORD | '[' (atom (',' atom)* ','?)? ']'
///            | '(' expr ')'
/// ```
/// After an error the parser skips to the end of that statement and goes on, so a script yields
/// at most one syntax diagnostic per statement. Nesting deeper than
/// ``InputLimits/maximumNesting`` is refused before the parser recurses further, and at most
/// ``InputLimits/maximumErrorsPerLine`` diagnostics are kept per line.
public struct Parser {
  /// The statements and diagnostics of one parse.
  public struct Output: Sendable {
    /// The statements that parsed cleanly, in source order.
    public internal(set) var statements: [Statement]
    /// Lexical and syntax errors, in source order.
    public var diagnostics: [Diagnostic]
  }

  /// Thrown inside the parser; a nil diagnostic means the lexer has already reported it.
  private struct Failure: Error {
    var diagnostic: Diagnostic?
  }

  private var tokens: [Token]
  private var position = 0
  private var diagnostics: [Diagnostic] = []
  private var lastRange: SourceRange
  private var depth = 0

  private init(tokens: [Token]) {
    self.tokens = tokens
    self.lastRange = tokens[0].range
  }

  /// Parses a whole script or REPL entry.
  ///
  /// ```swift
  /// let out = Parser.parse("m = model resnet20\ntrain m on d epochs=2")
  /// // out.statements.count == 2, out.diagnostics.isEmpty
  /// ```
  public static func parse(_ source: String) -> Output {
    var output = parseUncapped(source)
    output.diagnostics = InputLimits.capped(output.diagnostics)
    return output
  }

  /// ``parse(_:)`` keeping every diagnostic (the checker caps them after adding its own).
  static func parseUncapped(_ source: String) -> Output {
    let lexed = Lexer.tokenize(source)
    var parser = Parser(tokens: lexed.tokens)
    var statements: [Statement] = []
    while true {
      while case .newline = parser.token.kind { parser.position += 1 }
      if case .end = parser.token.kind { break }
      parser.depth = 0
      do {
        statements.append(try parser.parseStatement())
      } catch {
        if let diagnostic = error.diagnostic { parser.diagnostics.append(diagnostic) }
        parser.skipStatement()
      }
    }
    // A bracket still open at the end swallowed the rest of the input into one statement:
    // whatever went wrong after it, the unclosed bracket is the error to report.
    if let opener = lexed.unclosed.first {
      parser.diagnostics.removeAll { $0.range.offset >= opener.offset }
      let bracket = String(Array(source)[opener.offset])
      parser.diagnostics.append(
        Diagnostic(.unbalancedBrackets, "'\(bracket)' is never closed", at: opener))
    }
    let all = (lexed.diagnostics + parser.diagnostics).sorted { $0.range.offset < $1.range.offset }
    return Output(statements: statements, diagnostics: all)
  }

  // MARK: - Token access

  private var token: Token { tokens[position] }

  private func peek(_ distance: Int = 1) -> Token {
    tokens[min(position + distance, tokens.count - 1)]
  }

  @discardableResult
  private mutating func take() -> Token {
    let taken = token
    if position < tokens.count - 1 { position += 1 }
    lastRange = taken.range
    return taken
  }

  private mutating func skipStatement() {
    while true {
      switch token.kind {
      case .newline, .end: return
      default: position += 1
      }
    }
  }

  private static func startsArgument(_ token: Token) -> Bool {
    switch token.kind {
    case .word, .number, .text, .bool, .leftBracket, .leftParen: return true
    default: return false
    }
  }

  private static func describe(_ opener: Token) -> String {
    if case .leftBracket = opener.kind { return "'['" }
    return "'('"
  }

  // MARK: - Statements

  private mutating func parseStatement() throws(Failure) -> Statement {
    let first = token
    let kind: Statement.Kind
    if case .meta(let name, let nameRange, let argument, let argumentRange) = first.kind {
      take()
      var meta = MetaCommand(
        name: name, nameRange: nameRange, argument: argument, argumentRange: argumentRange)
      if name == "type" && !argument.isEmpty {
        meta.expression = try Self.parseMetaExpression(argument, at: argumentRange)
      }
      kind = .meta(meta)
    } else if case .word(let name) = first.kind, case .equals = peek().kind {
      take()
      let equals = take()
      let value = try parseExpression(expecting: "a value after '='", afterRange: equals.range)
      kind = .assignment(name: name, nameRange: first.range, value: value)
    } else {
      kind = .expression(try parseExpression(expecting: "a value", afterRange: nil))
    }
    try expectStatementEnd()
    return Statement(kind, first.range.extended(through: lastRange))
  }

  private mutating func expectStatementEnd() throws(Failure) {
    switch token.kind {
    case .newline, .end:
      return
    case .rightBracket, .rightParen:
      throw Failure(
        diagnostic: Diagnostic(.unbalancedBrackets, "unmatched \(token.summary)", at: token.range))
    case .invalid:
      throw Failure(diagnostic: nil)
    default:
      throw Failure(
        diagnostic: Diagnostic(
          .unexpectedToken,
          "unexpected \(token.summary): only a command name can be followed by arguments",
          at: token.range))
    }
  }

  private static func parseMetaExpression(_ text: String, at range: SourceRange) throws(Failure)
    -> Expression
  {
    let lexed = Lexer.tokenize(text, line: range.line, column: range.column, offset: range.offset)
    if let first = lexed.diagnostics.first { throw Failure(diagnostic: first) }
    var parser = Parser(tokens: lexed.tokens)
    let expression = try parser.parseExpression(expecting: "an expression", afterRange: nil)
    try parser.expectStatementEnd()
    return expression
  }

  // MARK: - Expressions

  /// `WORD argument+ | atom`; a word followed by something that can start an argument is a call.
  private mutating func parseExpression(expecting: String, afterRange: SourceRange?)
    throws(Failure) -> Expression
  {
    if case .word(let name) = token.kind, Self.startsArgument(peek()) {
      let nameToken = take()
      var arguments: [Argument] = []
      while Self.startsArgument(token) {
        arguments.append(try parseArgument())
      }
      let call = CommandCall(name: name, nameRange: nameToken.range, arguments: arguments)
      return Expression(.call(call), nameToken.range.extended(through: lastRange))
    }
    return try parseAtom(expecting: expecting, afterRange: afterRange)
  }

  private mutating func parseArgument() throws(Failure) -> Argument {
    if case .word(let name) = token.kind, case .equals = peek().kind {
      let label = take()
      let equals = take()
      let value = try parseAtom(expecting: "a value after '\(name)='", afterRange: equals.range)
      return Argument(label: Argument.Label(name: name, range: label.range), value: value)
    }
    return Argument(value: try parseAtom(expecting: "a value", afterRange: nil))
  }

  private mutating func parseAtom(expecting: String, afterRange: SourceRange?) throws(Failure)
    -> Expression
  {
    let start = token
    switch start.kind {
    case .number(let number):
      take()
      return Expression(.number(number), start.range)
    case .text(let text):
      take()
      return Expression(.text(text), start.range)
    case .bool(let value):
      take()
      return Expression(.bool(value), start.range)
    case .word(let word):
      take()
      return Expression(.word(word), start.range)
    case .leftBracket:
      try enterNesting(at: start)
      defer { depth -= 1 }
      return try parseList()
    case .leftParen:
      try enterNesting(at: start)
      defer { depth -= 1 }
      take()
      if case .rightParen = token.kind {
        throw Failure(
          diagnostic: Diagnostic(
            .unexpectedToken, "expected a command inside '(' and ')'",
            at: start.range.extended(through: token.range)))
      }
      var inner = try parseExpression(expecting: "a command after '('", afterRange: start.range)
      try expectCloser(of: start)
      inner.range = start.range.extended(through: lastRange)
      return inner
    case .invalid:
      throw Failure(diagnostic: nil)
    case .rightBracket, .rightParen:
      if !isInsideBrackets(before: position) {
        throw Failure(
          diagnostic: Diagnostic(.unbalancedBrackets, "unmatched \(start.summary)", at: start.range)
        )
      }
      throw unexpected(expecting: expecting, afterRange: afterRange)
    default:
      throw unexpected(expecting: expecting, afterRange: afterRange)
    }
  }

  /// Counts one more open bracket, refusing nesting deeper than ``InputLimits/maximumNesting``
  /// before the parser recurses into it.
  private mutating func enterNesting(at opener: Token) throws(Failure) {
    depth += 1
    guard depth <= InputLimits.maximumNesting else {
      throw Failure(
        diagnostic: Diagnostic(
          .limitExceeded,
          "brackets and parentheses nest more than \(InputLimits.maximumNesting) deep here; "
            + "bind inner values to names first", at: opener.range))
    }
  }

  /// A "missing value" points just past what came before when the line ended there.
  private func unexpected(expecting: String, afterRange: SourceRange?) -> Failure {
    var range = token.range
    switch token.kind {
    case .newline, .end:
      if let afterRange { range = afterRange.end } else { range.length = 0 }
    default: break
    }
    return Failure(
      diagnostic: Diagnostic(
        .unexpectedToken, "expected \(expecting), but found \(token.summary)", at: range))
  }

  /// Whether an unclosed `[` or `(` precedes token `index`.
  private func isInsideBrackets(before index: Int) -> Bool {
    var statementStart = index
    while statementStart > 0 {
      if case .newline = tokens[statementStart - 1].kind { break }
      statementStart -= 1
    }
    var depth = 0
    for token in tokens[statementStart..<index] {
      switch token.kind {
      case .leftBracket, .leftParen: depth += 1
      case .rightBracket, .rightParen: depth = max(depth - 1, 0)
      case .newline: depth = 0
      default: break
      }
    }
    return depth > 0
  }

  private mutating func expectCloser(of opener: Token) throws(Failure) {
    let wanted: Token.Kind
    let closer: String
    if case .leftBracket = opener.kind {
      wanted = .rightBracket
      closer = "']'"
    } else {
      wanted = .rightParen
      closer = "')'"
    }
    if token.kind == wanted {
      take()
      return
    }
    let found = token
    switch found.kind {
    case .end:
      throw Failure(
        diagnostic: Diagnostic(
          .unbalancedBrackets, "\(Self.describe(opener)) is never closed", at: opener.range))
    case .rightBracket, .rightParen:
      throw Failure(
        diagnostic: Diagnostic(
          .unbalancedBrackets,
          "expected \(closer) to close the \(Self.describe(opener)) at \(opener.range), "
            + "but found \(found.summary)",
          at: found.range))
    case .invalid:
      throw Failure(diagnostic: nil)
    default:
      let what: String
      if case .leftBracket = opener.kind {
        what = "expected ',' or ']' in the list, but found \(found.summary)"
      } else {
        what = "unexpected \(found.summary): only a command name can be followed by arguments"
      }
      throw Failure(diagnostic: Diagnostic(.unexpectedToken, what, at: found.range))
    }
  }

  private mutating func parseList() throws(Failure) -> Expression {
    let opener = take()
    var elements: [Expression] = []
    while true {
      if case .rightBracket = token.kind { break }
      if case .end = token.kind { break }
      let element = try parseAtom(
        expecting: elements.isEmpty ? "a list element or ']'" : "a list element",
        afterRange: nil)
      elements.append(element)
      if case .comma = token.kind {
        take()
        continue
      }
      break
    }
    try expectCloser(of: opener)
    return Expression(.list(elements), opener.range.extended(through: lastRange))
  }
}
