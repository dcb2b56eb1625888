import CommandLanguage
import Testing

@Suite("Parser: AST shape and ranges")
struct ParserTests {
  private func parse(_ source: String) throws -> [Statement] {
    let output = Parser.parse(source)
    try #require(output.diagnostics.isEmpty, "\(output.diagnostics)")
    return output.statements
  }

  private func word(_ name: String, _ range: SourceRange) -> Expression {
    Expression(.word(name), range)
  }

  @Test("assignment of a call with a preposition")
  func assignmentCall() throws {
    let statements = try parse("m2 = prune m with p")
    let call = CommandCall(
      name: "prune", nameRange: Fixtures.range(1, 6, 5, 5),
      arguments: [
        Argument(value: word("m", Fixtures.range(1, 12, 1, 11))),
        Argument(value: word("with", Fixtures.range(1, 14, 4, 13))),
        Argument(value: word("p", Fixtures.range(1, 19, 1, 18))),
      ])
    let expected = Statement(
      .assignment(
        name: "m2", nameRange: Fixtures.range(1, 1, 2, 0),
        value: Expression(.call(call), Fixtures.range(1, 6, 14, 5))),
      Fixtures.range(1, 1, 19, 0))
    #expect(statements == [expected])
  }

  @Test("keyword arguments and number literals")
  func keywords() throws {
    let statements = try parse("train m on d epochs=2 lr=1e-3 ratio = 50% shift=-3")
    guard case .expression(let expression) = statements.first?.kind,
      case .call(let call) = expression.kind
    else {
      Issue.record("expected a call, got \(statements)")
      return
    }
    #expect(
      call.arguments.map { $0.label?.name } == [nil, nil, nil, "epochs", "lr", "ratio", "shift"])
    #expect(
      call.arguments.suffix(4).map(\.value.kind) == [
        .number(NumberLiteral(value: 2, text: "2")),
        .number(NumberLiteral(value: 0.001, text: "1e-3")),
        .number(NumberLiteral(value: 0.5, isPercent: true, text: "50%")),
        .number(NumberLiteral(value: -3, text: "-3")),
      ])
    // "ratio = 50%" starts at column 31 and is 11 characters long.
    #expect(call.arguments[5].label?.range == Fixtures.range(1, 31, 5, 30))
    #expect(call.arguments[5].range == Fixtures.range(1, 31, 11, 30))
    #expect(expression.range == Fixtures.range(1, 1, 50, 0))
  }

  @Test("a list spanning lines with a trailing comma")
  func multiLineList() throws {
    let statements = try parse("s = similarity m by [\n  l1,\n  l2,\n]")
    #expect(statements.count == 1)
    guard case .assignment(_, _, let value) = statements.first?.kind,
      case .call(let call) = value.kind
    else {
      Issue.record("expected an assignment of a call")
      return
    }
    // '[' at offset 20; line 2 starts at 22, line 3 at 28, line 4 (']') at 34.
    let list = Expression(
      .list([word("l1", Fixtures.range(2, 3, 2, 24)), word("l2", Fixtures.range(3, 3, 2, 30))]),
      Fixtures.range(1, 21, 15, 20))
    #expect(call.arguments.last?.value == list)
    #expect(statements[0].range == Fixtures.range(1, 1, 35, 0))
  }

  @Test("a parenthesised command is a call whose range includes the parentheses")
  func parenthesised() throws {
    let statements = try parse("prune (plan m by l1) with p")
    guard case .expression(let expression) = statements.first?.kind,
      case .call(let outer) = expression.kind
    else {
      Issue.record("expected a call")
      return
    }
    let inner = outer.arguments[0].value
    #expect(inner.range == Fixtures.range(1, 7, 14, 6))
    guard case .call(let call) = inner.kind else {
      Issue.record("expected a nested call")
      return
    }
    #expect(call.name == "plan")
    #expect(call.nameRange == Fixtures.range(1, 8, 4, 7))
    #expect(call.arguments.map(\.value.kind) == [.word("m"), .word("by"), .word("l1")])
  }

  @Test("literals: lone word, text, bool, nested list, empty list")
  func literals() throws {
    let statements = try parse("m\n\"a b\"\ntrue\n[[1], []]")
    #expect(
      statements.map(\.kind) == [
        .expression(word("m", Fixtures.range(1, 1, 1, 0))),
        .expression(Expression(.text("a b"), Fixtures.range(2, 1, 5, 2))),
        .expression(Expression(.bool(true), Fixtures.range(3, 1, 4, 8))),
        .expression(
          Expression(
            .list([
              Expression(
                .list([
                  Expression(
                    .number(NumberLiteral(value: 1, text: "1")), Fixtures.range(4, 3, 1, 15))
                ]),
                Fixtures.range(4, 2, 3, 14)),
              Expression(.list([]), Fixtures.range(4, 7, 2, 19)),
            ]), Fixtures.range(4, 1, 9, 13))),
      ])
  }

  @Test("blank lines and comments produce no statements")
  func commentsAndBlanks() throws {
    let statements = try parse("# setup\n\n   \nm = model resnet20  # the model\n# end\n")
    #expect(statements.count == 1)
    #expect(statements[0].range == Fixtures.range(4, 1, 18, 13))
  }

  @Test("meta commands keep raw text; :type parses its expression")
  func metaCommands() throws {
    let statements = try parse(":help prune\n:type score m by l1")
    let help = MetaCommand(
      name: "help", nameRange: Fixtures.range(1, 2, 4, 1), argument: "prune",
      argumentRange: Fixtures.range(1, 7, 5, 6))
    #expect(statements[0].kind == .meta(help))
    guard case .meta(let type) = statements[1].kind else {
      Issue.record("expected a meta command")
      return
    }
    #expect(type.name == "type")
    #expect(type.argument == "score m by l1")
    // Line 2 starts at offset 12; the argument starts at column 7 (offset 18).
    #expect(type.expression?.range == Fixtures.range(2, 7, 13, 18))
    guard case .call(let call) = type.expression?.kind else {
      Issue.record("expected a call")
      return
    }
    #expect(call.nameRange == Fixtures.range(2, 7, 5, 18))
  }

  @Test("a syntax error skips only its own statement")
  func recovery() {
    let output = Parser.parse("a = [1,\nb = 2\n")
    // The open '[' swallows the rest of the input, so the one error is the unclosed bracket.
    #expect(output.diagnostics.map(\.message) == ["'[' is never closed"])
    let second = Parser.parse("a = ,\nb = 2\nc = )")
    #expect(second.statements.count == 1)
    #expect(
      second.diagnostics.map(\.message) == [
        "expected a value after '=', but found ','", "unmatched ')'",
      ])
  }

  @Test("empty parentheses are an error")
  func emptyParens() {
    let output = Parser.parse("prune () with p")
    #expect(output.diagnostics.map(\.message) == ["expected a command inside '(' and ')'"])
    #expect(output.diagnostics.first?.range == Fixtures.range(1, 7, 2, 6))
  }
}
