import CommandLanguage
import Testing

/// One expected diagnostic: the input, and the kind, message and range worked out by hand
/// (columns counted on the input string, offsets = column - 1 on line 1).
struct DiagnosticCase: CustomTestStringConvertible, Sendable {
  var source: String
  var kind: DiagnosticKind
  var message: String
  var line = 1
  var column: Int
  var length: Int
  var offset: Int

  var testDescription: String { source }
}

@Suite("Diagnostics: exact messages and ranges")
struct DiagnosticTests {
  static let cases: [DiagnosticCase] = [
    // unexpected character
    DiagnosticCase(
      source: "m2 = prune m $ p", kind: .unexpectedCharacter,
      message: "unexpected character '$'", column: 14, length: 1, offset: 13),
    DiagnosticCase(
      source: "train m on d epochs=2x", kind: .unexpectedCharacter,
      message: "malformed number '2x'", column: 21, length: 2, offset: 20),
    // unexpected token
    DiagnosticCase(
      source: "x =", kind: .unexpectedToken,
      message: "expected a value after '=', but found end of input", column: 4, length: 0,
      offset: 3),
    DiagnosticCase(
      source: "s = similarity m by [l1 l2]", kind: .unexpectedToken,
      message: "expected ',' or ']' in the list, but found 'l2'", column: 25, length: 2,
      offset: 24),
    DiagnosticCase(
      source: "2 3", kind: .unexpectedToken,
      message: "unexpected number 3: only a command name can be followed by arguments",
      column: 3, length: 1, offset: 2),
    DiagnosticCase(
      source: "train m on d epochs=", kind: .unexpectedToken,
      message: "expected a value after 'epochs=', but found end of input", column: 21,
      length: 0, offset: 20),
    // unterminated text
    DiagnosticCase(
      source: "d = data \"fashion", kind: .unterminatedText,
      message: "unterminated text: missing closing '\"'", column: 10, length: 8, offset: 9),
    // unbalanced brackets
    DiagnosticCase(
      source: "s = similarity m by [l1, l2", kind: .unbalancedBrackets,
      message: "'[' is never closed", column: 21, length: 1, offset: 20),
    DiagnosticCase(
      source: "prune m with p)", kind: .unbalancedBrackets, message: "unmatched ')'",
      column: 15, length: 1, offset: 14),
    DiagnosticCase(
      source: "s = similarity m by [l1, l2)", kind: .unbalancedBrackets,
      message: "expected ']' to close the '[' at 1:21, but found ')'", column: 28, length: 1,
      offset: 27),
    DiagnosticCase(
      source: "m2 = prune (plan m by l1 with p", kind: .unbalancedBrackets,
      message: "'(' is never closed", column: 12, length: 1, offset: 11),
    // wrong type
    DiagnosticCase(
      source: "prune d with p", kind: .wrongType,
      message: "prune expects a Model here, but d is a Dataset", column: 7, length: 1,
      offset: 6),
    DiagnosticCase(
      source: "train m on m", kind: .wrongType,
      message: "train expects a Dataset after 'on', but m is a Model", column: 12, length: 1,
      offset: 11),
    DiagnosticCase(
      source: "train m on d epochs=\"two\"", kind: .wrongType,
      message: "train expects a Number for epochs, but \"two\" is a Text", column: 21,
      length: 5, offset: 20),
    DiagnosticCase(
      source: "similarity m by [l1, m]", kind: .wrongType,
      message: "similarity expects a Criterion in the list after 'by', but m is a Model",
      column: 22, length: 1, offset: 21),
    DiagnosticCase(
      source: "prune (score m by l1) with p", kind: .wrongType,
      message: "prune expects a Model here, but score gives a Scores", column: 7, length: 15,
      offset: 6),
    DiagnosticCase(
      source: "x = explain fpgm", kind: .wrongType,
      message: "explain gives no value, so it cannot be assigned to x", column: 5, length: 12,
      offset: 4),
    DiagnosticCase(
      source: "prune fpgm with p", kind: .wrongType,
      message: "prune expects a Model here, but fpgm is a Criterion", column: 7, length: 4,
      offset: 6),
    DiagnosticCase(
      source: "score m by 2", kind: .wrongType,
      message: "score expects a Criterion after 'by', but 2 is a Number", column: 12, length: 1,
      offset: 11),
    DiagnosticCase(
      source: "prune [m] with p", kind: .wrongType,
      message: "prune expects a Model here, but got a list", column: 7, length: 3, offset: 6),
    // unknown command
    DiagnosticCase(
      source: "prnue m with p", kind: .unknownCommand,
      message: "unknown command 'prnue'; did you mean 'prune'?", column: 1, length: 5,
      offset: 0),
    DiagnosticCase(
      source: "frobnicate m", kind: .unknownCommand,
      message: "unknown command 'frobnicate'; :help lists the commands", column: 1,
      length: 10, offset: 0),
    DiagnosticCase(
      source: "m d", kind: .unknownCommand,
      message: "m is a variable (a Model), not a command; it cannot take arguments", column: 1,
      length: 1, offset: 0),
    DiagnosticCase(
      source: ":hlep prune", kind: .unknownCommand,
      message: "unknown meta command ':hlep'; did you mean ':help'?", column: 2, length: 4,
      offset: 1),
    // unknown name
    DiagnosticCase(
      source: "score m by fpmg", kind: .unknownName,
      message: "unknown name 'fpmg'; did you mean 'fpgm'?", column: 12, length: 4, offset: 11),
    DiagnosticCase(
      source: "score m by zzz", kind: .unknownName,
      message:
        "unknown name 'zzz'; expected a variable or one of: l1, l2, fpgm, fermat, bn, taylor, "
        + "random", column: 12, length: 3, offset: 11),
    DiagnosticCase(
      source: "x = qqq", kind: .unknownName,
      message: "unknown name 'qqq': no variable has this name", column: 5, length: 3, offset: 4),
    DiagnosticCase(
      source: "vars", kind: .unknownName, message: "unknown name 'vars'; did you mean ':vars'?",
      column: 1, length: 4, offset: 0),
    DiagnosticCase(
      source: "train mm on d", kind: .unknownName,
      message: "unknown name 'mm'; did you mean 'm'?", column: 7, length: 2, offset: 6),
    DiagnosticCase(
      source: "d2 = data fashion-mnst", kind: .unknownName,
      message: "unknown name 'fashion-mnst'; did you mean 'fashion-mnist'?", column: 11,
      length: 12, offset: 10),
    DiagnosticCase(
      source: "prune m with plan", kind: .unknownName,
      message: "'plan' is a command; to use its result here, write it in parentheses: (plan ...)",
      column: 14, length: 4, offset: 13),
    // missing argument
    DiagnosticCase(
      source: "prune m", kind: .missingArgument,
      message: "prune is missing plan: a Plan after 'with'", column: 1, length: 5, offset: 0),
    DiagnosticCase(
      source: "train on d", kind: .missingArgument,
      message: "train is missing model: a Model", column: 1, length: 5, offset: 0),
    DiagnosticCase(
      source: "train m on", kind: .missingArgument,
      message: "train needs a Dataset after 'on'", column: 9, length: 2, offset: 8),
    DiagnosticCase(
      source: ":type", kind: .missingArgument, message: ":type needs an expression, e.g. :type m",
      column: 6, length: 0, offset: 5),
    // unknown argument
    DiagnosticCase(
      source: "train m on d epoch=2", kind: .unknownArgument,
      message: "train has no argument 'epoch'; did you mean 'epochs'?", column: 14, length: 5,
      offset: 13),
    DiagnosticCase(
      source: "prune model=m with p", kind: .unknownArgument,
      message: "prune takes model as a positional value: write the value without 'model='",
      column: 7, length: 5, offset: 6),
    // too many positional arguments
    DiagnosticCase(
      source: "prune m m with p", kind: .tooManyPositionalArguments,
      message: "too many positional arguments: prune takes 1 (model)", column: 9, length: 1,
      offset: 8),
    DiagnosticCase(
      source: "train m onn d", kind: .tooManyPositionalArguments,
      message: "too many positional arguments: train takes 1 (model); did you mean 'on'?",
      column: 9, length: 3, offset: 8),
    DiagnosticCase(
      source: "train m on d epochs 2", kind: .tooManyPositionalArguments,
      message: "too many positional arguments: train takes 1 (model); did you mean 'epochs=...'?",
      column: 14, length: 6, offset: 13),
    // duplicate argument
    DiagnosticCase(
      source: "train m on d epochs=1 epochs=2", kind: .duplicateArgument,
      message: "train is given 'epochs' twice", column: 23, length: 6, offset: 22),
    DiagnosticCase(
      source: "score m by l1 by l2", kind: .duplicateArgument,
      message: "score is given 'by' twice", column: 15, length: 2, offset: 14),
    // value out of range
    DiagnosticCase(
      source: "plan m by l1 ratio=150%", kind: .valueOutOfRange,
      message: "ratio must be in [0%, 100%), got 150%", column: 20, length: 4, offset: 19),
    DiagnosticCase(
      source: "plan m by l1 ratio=1", kind: .valueOutOfRange,
      message: "ratio must be in [0, 1), got 1", column: 20, length: 1, offset: 19),
    DiagnosticCase(
      source: "train m on d lr=0", kind: .valueOutOfRange,
      message: "lr must be greater than 0, got 0", column: 17, length: 1, offset: 16),
    DiagnosticCase(
      source: "plan m by l1 alloc=\"glob\"", kind: .valueOutOfRange,
      message: "alloc must be one of uniform, global, balanced, clr; got \"glob\"", column: 20,
      length: 6, offset: 19),
    // integer expected
    DiagnosticCase(
      source: "train m on d epochs=2.5", kind: .integerExpected,
      message: "epochs expects a whole number, got 2.5", column: 21, length: 3, offset: 20),
    DiagnosticCase(
      source: "train m on d epochs=50%", kind: .integerExpected,
      message: "epochs expects a whole number, got 50%", column: 21, length: 3, offset: 20),
    // limits
    DiagnosticCase(
      source: "x = 1e400", kind: .limitExceeded,
      message: "the number 1e400 is too large to represent (the largest is about 1.8e308)",
      column: 5, length: 5, offset: 4),
  ]

  @Test("one diagnostic with the exact kind, message and range", arguments: cases)
  func exactDiagnostic(_ expected: DiagnosticCase) throws {
    let diagnostics = Fixtures.diagnostics(expected.source)
    try #require(diagnostics.count == 1, "\(diagnostics)")
    let diagnostic = diagnostics[0]
    #expect(diagnostic.kind == expected.kind)
    #expect(diagnostic.message == expected.message)
    #expect(
      diagnostic.range
        == SourceRange(
          line: expected.line, column: expected.column, length: expected.length,
          offset: expected.offset))
  }

  @Test("every kind of diagnostic is covered by a case above")
  func everyKindCovered() {
    let covered = Set(Self.cases.map(\.kind))
    #expect(covered == Set(DiagnosticKind.allCases))
  }

  @Test("an error on line 3 of a script has the right line, column and offset")
  func errorOnLineThree() throws {
    // Line 1 is 22 characters + newline (offsets 0...22), line 2 is 18 + newline (23...41), so
    // line 3 starts at offset 42; 'fpmg' is at column 15 there, offset 56.
    let source = "d = data fashion-mnist\nm = model resnet20\np = plan m by fpmg ratio=50%\n"
    let diagnostics = Fixtures.diagnostics(source, in: Fixtures.empty)
    try #require(diagnostics.count == 1)
    #expect(diagnostics[0].kind == .unknownName)
    #expect(diagnostics[0].range == Fixtures.range(3, 15, 4, 56))
    let expected = """
      error: unknown name 'fpmg'; did you mean 'fpgm'?
       --> 3:15
        |
      3 | p = plan m by fpmg ratio=50%
        |               ^~~~
      """
    #expect(DiagnosticRenderer().render(diagnostics[0], in: source) == expected)
  }

  @Test("an error on line 3 inside a list that spans lines")
  func errorInsideMultiLineList() throws {
    // Line 1 "s = similarity m by [" is 21 characters (offsets 0...20, newline 21); line 2
    // "  l1," is offsets 22...26 (newline 27); line 3 starts at 28, 'fpmg' at column 3 = 30.
    let source = "s = similarity m by [\n  l1,\n  fpmg,\n]"
    let diagnostics = Fixtures.diagnostics(source)
    try #require(diagnostics.count == 1)
    #expect(diagnostics[0].message == "unknown name 'fpmg'; did you mean 'fpgm'?")
    #expect(diagnostics[0].range == Fixtures.range(3, 3, 4, 30))
  }

  @Test("one syntax error per statement; later statements are still checked")
  func recoveryAfterErrors() {
    let source = "x = $\nprune d with p\ntrain m on d epochs=0"
    let diagnostics = Fixtures.diagnostics(source)
    #expect(diagnostics.map(\.kind) == [.unexpectedCharacter, .wrongType, .valueOutOfRange])
    #expect(diagnostics.map(\.range.line) == [1, 2, 3])
  }

  @Test("a failed assignment does not cascade into later statements")
  func noCascade() {
    // q keeps plan's declared type (Plan), so the prune line is fine.
    #expect(Fixtures.diagnostics("q = plan m by fpmg\nprune m with q").count == 1)
    // x has an unknown type after its failed assignment: its uses are not reported again.
    let diagnostics = Fixtures.diagnostics("x = frob m\nprune x with p\ny = x")
    #expect(diagnostics.map(\.message) == ["unknown command 'frob'; :help lists the commands"])
  }

  @Test("several argument errors in one call are all reported")
  func severalErrorsInOneCall() {
    let diagnostics = Fixtures.diagnostics("train d on m epochs=0")
    #expect(
      diagnostics.map(\.message) == [
        "train expects a Model here, but d is a Dataset",
        "train expects a Dataset after 'on', but m is a Model",
        "epochs must be at least 1, got 0",
      ])
  }

  @Test("a single symbol where a list is expected suggests the one-element list")
  func listOfOneHelp() throws {
    let diagnostics = Fixtures.diagnostics("similarity m by fpgm")
    try #require(diagnostics.count == 1)
    #expect(
      diagnostics[0].message
        == "similarity expects a List of Criterion after 'by', but fpgm is a Criterion")
    #expect(diagnostics[0].help == "write [fpgm] for a list of one")
  }

  @Test("unknown escapes in text are reported at the backslash")
  func unknownEscape() throws {
    let diagnostics = Fixtures.diagnostics("explain \"a\\qb\"")
    try #require(diagnostics.count == 1)
    #expect(diagnostics[0].kind == .unexpectedCharacter)
    #expect(
      diagnostics[0].message
        == "unknown escape '\\q' in text; write \\\" for a quote and \\\\ for a backslash")
    #expect(diagnostics[0].range == Fixtures.range(1, 11, 2, 10))
  }

  @Test("missing arguments carry the usage example as help")
  func usageHelp() throws {
    let diagnostics = Fixtures.diagnostics("prune m")
    try #require(diagnostics.count == 1)
    #expect(diagnostics[0].help == "usage: m2 = prune m with p")
  }
}
