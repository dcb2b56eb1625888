/// Splits source text into ``Token``s, reporting bad characters as diagnostics.
///
/// Line breaks inside an open `[` or `(` (or inside a text literal) do not end a statement, so
/// they produce no ``Token/Kind/newline`` token. `#` starts a comment to the end of the line
/// (outside text). A line whose first non-blank character is `:` (at the start of a statement)
/// is one ``Token/Kind/meta(name:nameRange:argument:argumentRange:)`` token; in its argument a
/// `#` that begins the argument or follows a blank starts a comment.
public struct Lexer {
  /// The tokens, diagnostics and end state of one run.
  public struct Output: Sendable {
    /// The tokens, ending with ``Token/Kind/end``.
    public internal(set) var tokens: [Token]
    /// The lexical errors, in source order.
    public var diagnostics: [Diagnostic]
    /// How many `[` or `(` are still open at the end of the input.
    var openBrackets: Int { unclosed.count }
    /// The ranges of the `[` and `(` still open at the end of the input, outermost first.
    public internal(set) var unclosed: [SourceRange]
    /// Whether the input ends inside a text literal.
    var endsInsideText: Bool
  }

  private let characters: [Character]
  private var index = 0
  private var line: Int
  private var column: Int
  private let baseOffset: Int
  private var openers: [SourceRange] = []
  private var tokens: [Token] = []
  private var diagnostics: [Diagnostic] = []
  private var atStatementStart = true
  private var endsInsideText = false

  private init(_ source: String, line: Int, column: Int, offset: Int) {
    self.characters = Array(source)
    self.line = line
    self.column = column
    self.baseOffset = offset
  }

  /// Tokenizes `source`, whose first character sits at `line`, `column` and `offset`.
  ///
  /// ```swift
  /// let out = Lexer.tokenize("m = model resnet20")  // word, equals, word, word, end
  /// ```
  public static func tokenize(_ source: String, line: Int = 1, column: Int = 1, offset: Int = 0)
    -> Output
  {
    var lexer = Lexer(source, line: line, column: column, offset: offset)
    lexer.run()
    return Output(
      tokens: lexer.tokens, diagnostics: lexer.diagnostics, unclosed: lexer.openers,
      endsInsideText: lexer.endsInsideText)
  }

  // MARK: - Scanning

  private var current: Character? { index < characters.count ? characters[index] : nil }

  private func peek(_ distance: Int = 1) -> Character? {
    index + distance < characters.count ? characters[index + distance] : nil
  }

  private mutating func advance() {
    if characters[index].isNewline {
      line += 1
      column = 1
    } else {
      column += 1
    }
    index += 1
  }

  private struct Mark {
    var line: Int
    var column: Int
    var index: Int
  }

  private var mark: Mark { Mark(line: line, column: column, index: index) }

  private func range(from start: Mark) -> SourceRange {
    SourceRange(
      line: start.line, column: start.column, length: index - start.index,
      offset: baseOffset + start.index)
  }

  private mutating func emit(_ kind: Token.Kind, from start: Mark) {
    tokens.append(Token(kind, range(from: start)))
    atStatementStart = false
  }

  private mutating func run() {
    var atLineStart = true
    while let character = current {
      if atLineStart {
        atLineStart = false
        if skipLongLine() { continue }
      }
      let start = mark
      if character.isNewline {
        atLineStart = true
        advance()
        if openers.isEmpty {
          tokens.append(Token(.newline, range(from: start)))
          atStatementStart = true
        }
      } else if character == " " || character == "\t" || character.isWhitespace {
        advance()
      } else if character == "#" {
        while let next = current, !next.isNewline { advance() }
      } else if character == ":" && atStatementStart && openers.isEmpty {
        lexMeta()
      } else if character == "\"" {
        lexText()
      } else if Self.isDigit(character) || (character == "-" && peek().map(Self.isDigit) == true) {
        lexNumber()
      } else if Self.isWordStart(character) {
        lexWord()
      } else {
        advance()
        switch character {
        case "[":
          openers.append(range(from: start))
          emit(.leftBracket, from: start)
        case "(":
          openers.append(range(from: start))
          emit(.leftParen, from: start)
        case "]", ")":
          if !openers.isEmpty { openers.removeLast() }
          emit(character == "]" ? .rightBracket : .rightParen, from: start)
        case ",": emit(.comma, from: start)
        case "=": emit(.equals, from: start)
        default:
          diagnostics.append(
            Diagnostic(
              .unexpectedCharacter, "unexpected character '\(character)'", at: range(from: start)))
          emit(.invalid, from: start)
        }
      }
    }
    tokens.append(Token(.end, range(from: mark)))
  }

  /// Refuses the line starting here when it is longer than ``InputLimits/maximumLineLength``:
  /// one diagnostic, and the whole line becomes one invalid token. Returns whether it did.
  private mutating func skipLongLine() -> Bool {
    var length = 0
    while index + length < characters.count, !characters[index + length].isNewline {
      length += 1
      if length > InputLimits.maximumLineLength { break }
    }
    guard length > InputLimits.maximumLineLength else { return false }
    let start = mark
    while let next = current, !next.isNewline { advance() }
    let total = index - start.index
    var shown = range(from: start)
    shown.length = 1
    diagnostics.append(
      Diagnostic(
        .limitExceeded,
        "line \(start.line) is \(total) characters long; a line may hold at most "
          + "\(InputLimits.maximumLineLength)", at: shown))
    tokens.append(Token(.invalid, range(from: start)))
    atStatementStart = false
    return true
  }

  static func isDigit(_ character: Character) -> Bool {
    character.isASCII && character.isWholeNumber
  }

  static func isWordStart(_ character: Character) -> Bool {
    character == "_" || character.isLetter
  }

  static func isWordBody(_ character: Character) -> Bool {
    character == "_" || character.isLetter || isDigit(character)
  }

  private mutating func lexWord() {
    let start = mark
    advance()
    while let character = current {
      if Self.isWordBody(character) {
        advance()
      } else if character == "-" || character == ".", let next = peek(), Self.isWordBody(next) {
        advance()
      } else {
        break
      }
    }
    if index - start.index > InputLimits.maximumNameLength {
      var shown = range(from: start)
      shown.length = 1
      diagnostics.append(
        Diagnostic(
          .limitExceeded,
          "a name of \(index - start.index) characters; names may have at most "
            + "\(InputLimits.maximumNameLength)", at: shown))
      emit(.invalid, from: start)
      return
    }
    let word = String(characters[start.index..<index])
    switch word {
    case "true": emit(.bool(true), from: start)
    case "false": emit(.bool(false), from: start)
    default: emit(.word(word), from: start)
    }
  }

  private mutating func skipDigits() {
    while let character = current, Self.isDigit(character) { advance() }
  }

  private mutating func lexNumber() {
    let start = mark
    if current == "-" { advance() }
    skipDigits()
    if current == ".", let next = peek(), Self.isDigit(next) {
      advance()
      skipDigits()
    }
    if current == "e" || current == "E" {
      let sign = peek() == "+" || peek() == "-"
      if let digit = peek(sign ? 2 : 1), Self.isDigit(digit) {
        advance()
        if sign { advance() }
        skipDigits()
      }
    }
    let numberEnd = index
    var isPercent = false
    if current == "%" {
      isPercent = true
      advance()
    }
    if let next = current, Self.isWordBody(next) || next == "." || next == "-" || next == "%" {
      while let next = current, Self.isWordBody(next) || "-.%".contains(next) { advance() }
      let text = String(characters[start.index..<index])
      diagnostics.append(
        Diagnostic(.unexpectedCharacter, "malformed number '\(text)'", at: range(from: start)))
      emit(.invalid, from: start)
      return
    }
    let digits = String(characters[start.index..<numberEnd])
    let text = String(characters[start.index..<index])
    let value = (Double(digits) ?? .nan) / (isPercent ? 100 : 1)
    guard value.isFinite else {
      let shownText = text.count > 40 ? String(text.prefix(40)) + "…" : text
      diagnostics.append(
        Diagnostic(
          .limitExceeded,
          "the number \(shownText) is too large to represent (the largest is about 1.8e308)",
          at: range(from: start)))
      emit(.invalid, from: start)
      return
    }
    emit(.number(NumberLiteral(value: value, isPercent: isPercent, text: text)), from: start)
  }

  private mutating func lexText() {
    let start = mark
    advance()
    var text = ""
    var valid = true
    while let character = current {
      if character == "\"" {
        advance()
        emit(valid ? .text(text) : .invalid, from: start)
        return
      }
      if character == "\\" {
        let escapeStart = mark
        advance()
        switch current {
        case "\"": text.append("\"")
        case "\\": text.append("\\")
        case "n": text.append("\n")
        case "t": text.append("\t")
        case .some(let other) where !other.isNewline:
          advance()
          diagnostics.append(
            Diagnostic(
              .unexpectedCharacter,
              "unknown escape '\\\(other)' in text; write \\\" for a quote and \\\\ for a backslash",
              at: range(from: escapeStart)))
          valid = false
          continue
        default:
          text.append("\\")
          continue
        }
        advance()
        continue
      }
      text.append(character)
      advance()
    }
    // End of input inside the text: mark the opening quote to the end of its line.
    var length = 1
    while start.index + length < characters.count, !characters[start.index + length].isNewline {
      length += 1
    }
    diagnostics.append(
      Diagnostic(
        .unterminatedText, "unterminated text: missing closing '\"'",
        at: SourceRange(
          line: start.line, column: start.column, length: length,
          offset: baseOffset + start.index)))
    endsInsideText = true
    emit(.invalid, from: start)
  }

  private mutating func lexMeta() {
    let start = mark
    advance()
    let nameStart = mark
    while let character = current, Self.isWordBody(character) || character == "-" { advance() }
    let name = String(characters[nameStart.index..<index])
    let nameRange = range(from: nameStart)
    if name.isEmpty {
      diagnostics.append(
        Diagnostic(
          .unexpectedCharacter, "expected a meta command name after ':', e.g. :help",
          at: range(from: start)))
      while let next = current, !next.isNewline { advance() }
      emit(.invalid, from: start)
      return
    }
    while let character = current, character == " " || character == "\t" { advance() }
    let argumentStart = mark
    var argumentEnd = index
    var previousIsBlank = true
    while let character = current, !character.isNewline {
      if character == "#" && previousIsBlank { break }
      previousIsBlank = character == " " || character == "\t"
      advance()
      if !previousIsBlank { argumentEnd = index }
    }
    let tokenEnd = max(argumentEnd, nameRange.endOffset - baseOffset)
    while let next = current, !next.isNewline { advance() }
    let argument = String(characters[argumentStart.index..<argumentEnd])
    let argumentRange = SourceRange(
      line: argumentStart.line, column: argumentStart.column,
      length: argumentEnd - argumentStart.index, offset: baseOffset + argumentStart.index)
    let tokenRange = SourceRange(
      line: start.line, column: start.column, length: tokenEnd - start.index,
      offset: baseOffset + start.index)
    tokens.append(
      Token(
        .meta(name: name, nameRange: nameRange, argument: argument, argumentRange: argumentRange),
        tokenRange))
    atStatementStart = false
  }
}

/// Whether `source` ends while a `[` or `(` is open or inside a text literal, i.e. the REPL
/// should read another line (with a continuation prompt) before parsing.
///
/// ```swift
/// isIncomplete("s = similarity m by [l1,")  // true
/// isIncomplete("s = score m by l1")         // false
/// ```
public func isIncomplete(_ source: String) -> Bool {
  let output = Lexer.tokenize(source)
  return output.openBrackets > 0 || output.endsInsideText
}
