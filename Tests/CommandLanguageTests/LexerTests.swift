import CommandLanguage
import Testing

@Suite("Lexer and isIncomplete")
struct LexerTests {
  private func kinds(_ source: String) -> [Token.Kind] {
    Lexer.tokenize(source).tokens.map(\.kind)
  }

  @Test("words may hold '-' and '.' inside; true and false are booleans")
  func words() {
    #expect(
      kinds("fashion-mnist layer2.0.conv1 _x true false")
        == [
          .word("fashion-mnist"), .word("layer2.0.conv1"), .word("_x"), .bool(true),
          .bool(false), .end,
        ])
  }

  @Test("a trailing '-' is not part of a word")
  func trailingDash() {
    let output = Lexer.tokenize("m-")
    #expect(output.tokens.map(\.kind) == [.word("m"), .invalid, .end])
    #expect(output.diagnostics.map(\.message) == ["unexpected character '-'"])
  }

  @Test("numbers: integers, decimals, negatives, exponents, percentages")
  func numbers() {
    #expect(
      kinds("2 0.1 -3 1e-3 50% 12.5%")
        == [
          .number(NumberLiteral(value: 2, text: "2")),
          .number(NumberLiteral(value: 0.1, text: "0.1")),
          .number(NumberLiteral(value: -3, text: "-3")),
          .number(NumberLiteral(value: 0.001, text: "1e-3")),
          .number(NumberLiteral(value: 0.5, isPercent: true, text: "50%")),
          .number(NumberLiteral(value: 0.125, isPercent: true, text: "12.5%")),
          .end,
        ])
  }

  @Test("text literals decode \\\" \\\\ \\n and \\t")
  func text() {
    #expect(kinds(#""a \"b\" \\ c\n""#) == [.text("a \"b\" \\ c\n"), .end])
  }

  @Test("line breaks end statements only outside brackets; comments are skipped")
  func newlines() {
    #expect(
      kinds("a [b,\nc] # [ not a bracket\nd")
        == [
          .word("a"), .leftBracket, .word("b"), .comma, .word("c"), .rightBracket, .newline,
          .word("d"), .end,
        ])
  }

  @Test("CRLF is one line break")
  func crlf() {
    let tokens = Lexer.tokenize("a\r\nb").tokens
    #expect(tokens.map(\.kind) == [.word("a"), .newline, .word("b"), .end])
    #expect(tokens[2].range == Fixtures.range(2, 1, 1, 2))
  }

  @Test("columns count Characters, not bytes or UTF-16 units")
  func unicodeColumns() throws {
    let output = Lexer.tokenize("explain \"é🙂\" $")
    try #require(output.diagnostics.count == 1)
    #expect(output.diagnostics[0].range == Fixtures.range(1, 14, 1, 13))
  }

  @Test("a meta line is one token with its raw argument, comment removed")
  func metaToken() {
    let tokens = Lexer.tokenize("  :save my file.json  # keep\nm").tokens
    #expect(
      tokens[0].kind
        == .meta(
          name: "save", nameRange: Fixtures.range(1, 4, 4, 3), argument: "my file.json",
          argumentRange: Fixtures.range(1, 9, 12, 8)))
    #expect(tokens[0].range == Fixtures.range(1, 3, 18, 2))
    #expect(tokens.map(\.kind).dropFirst() == [.newline, .word("m"), .end])
  }

  @Test("':' is a meta command only at the start of a statement")
  func colonElsewhere() {
    #expect(Lexer.tokenize("m :x").diagnostics.map(\.message) == ["unexpected character ':'"])
  }

  @Test(
    "isIncomplete while a bracket is open or text is unterminated",
    arguments: [
      ("s = similarity m by [l1,", true),
      ("s = similarity m by [l1,\n l2", true),
      ("prune (plan m by l1", true),
      ("x = \"abc", true),
      ("x = \"abc\ndef", true),
      ("s = similarity m by [l1, l2]", false),
      ("m = model resnet20", false),
      ("# [ ( \"", false),
      ("prune m with p)", false),
      (":help [", false),
      ("x = \"a [\"", false),
      ("", false),
    ])
  func incomplete(_ source: String, _ expected: Bool) {
    #expect(isIncomplete(source) == expected)
  }
}
