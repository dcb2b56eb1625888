import CommandLanguage
import Testing

/// Hostile input: deep nesting, long lines and names, huge numbers and floods of errors get
/// one clear diagnostic each, never a crash or a runaway.
@Suite("Input limits")
struct LimitsTests {
  @Test("5000 open parentheses: one diagnostic, no stack overflow")
  func unclosedParentheses() {
    let output = Parser.parse(String(repeating: "(", count: 5000))
    #expect(output.statements.isEmpty)
    #expect(output.diagnostics.map(\.message) == ["'(' is never closed"])
  }

  @Test("balanced nesting deeper than 100 is refused at the 101st bracket; 100 parses")
  func nestingCap() throws {
    let deep =
      "x = " + String(repeating: "[", count: 150) + "1"
      + String(repeating: "]", count: 150)
    let output = Parser.parse(deep)
    try #require(output.diagnostics.count == 1)
    let diagnostic = output.diagnostics[0]
    #expect(diagnostic.kind == .limitExceeded)
    #expect(
      diagnostic.message
        == "brackets and parentheses nest more than 100 deep here; bind inner values to names first"
    )
    // "x = " is 4 characters; the 101st bracket is character 105.
    #expect(diagnostic.range == SourceRange(line: 1, column: 105, length: 1, offset: 104))
    let fine =
      "x = " + String(repeating: "[", count: 100) + "1"
      + String(repeating: "]", count: 100)
    #expect(Parser.parse(fine).diagnostics.isEmpty)
    let parens =
      "x = " + String(repeating: "(", count: 101) + "f 1"
      + String(repeating: ")", count: 101)
    #expect(Parser.parse(parens).diagnostics.map(\.kind) == [.limitExceeded])
  }

  @Test("a line over 10000 characters is refused as a whole; the next line still parses")
  func longLine() throws {
    let long = "x = [" + Array(repeating: "1", count: 6000).joined(separator: ",") + "]"
    let output = Parser.parse(long + "\ny = 2")
    try #require(output.diagnostics.count == 1)
    #expect(output.diagnostics[0].kind == .limitExceeded)
    #expect(
      output.diagnostics[0].message
        == "line 1 is \(long.count) characters long; a line may hold at most 10000")
    #expect(output.statements.count == 1)
  }

  @Test("a name over 256 characters is refused; one of 256 is a name")
  func longName() throws {
    let output = Parser.parse(String(repeating: "a", count: 257) + " = 1")
    try #require(output.diagnostics.count == 1)
    #expect(output.diagnostics[0].message == "a name of 257 characters; names may have at most 256")
    #expect(Parser.parse(String(repeating: "a", count: 256) + " = 1").diagnostics.isEmpty)
  }

  @Test("at most 10 errors per line, then one saying how many more")
  func errorsPerLine() throws {
    let arguments = (0..<30).map { "w\($0)=1" }.joined(separator: " ")
    let result = Checker(context: Fixtures.context).check(
      source: "m = model lenet5 \(arguments)")
    try #require(result.diagnostics.count == 11)
    #expect(result.diagnostics[0].message == "model has no argument 'w0'")
    #expect(result.diagnostics[9].message == "model has no argument 'w9'")
    #expect(
      result.diagnostics[10].message == "and 20 more errors on line 1; fix the ones above first")
  }

  @Test("at most 100 errors in all, then one saying how many more; the count is kept")
  func errorsInAll() throws {
    let source = String(repeating: "zzq\n", count: 150)
    let result = Checker(context: Fixtures.context).check(source: source)
    try #require(result.diagnostics.count == 101)
    #expect(result.errorCount == 150)
    #expect(result.diagnostics[99].range.line == 100)
    #expect(
      result.diagnostics[100].message
        == "and 50 more errors from line 101 on; fix the ones above first")
  }

  @Test("did-you-mean skips names too long or too different in length to be typos")
  func boundedSuggestion() {
    let long = String(repeating: "a", count: 20_000)
    #expect(Suggestion.closest(to: long, among: [long + "b"]) == nil)
    #expect(
      Suggestion.closest(to: "fpmg", among: ["fpgm", String(repeating: "f", count: 5000)]) == "fpgm"
    )
    // Length 6 allows distance 2: "trian" (5) is considered, "t" (1) is not.
    #expect(Suggestion.closest(to: "trainn", among: ["t", "trian"]) == "trian")
  }

  @Test("the caret sits under its character after wide (CJK) characters")
  func caretAfterWideCharacters() throws {
    let source = "x = 名前 $"
    let diagnostics = Parser.parse(source).diagnostics
    try #require(diagnostics.count == 1)
    let text = DiagnosticRenderer().render(diagnostics[0], in: source)
    // "x = " is 4 columns, 名前 draws 4 columns, then a blank: '$' is at display column 10.
    let markerLine = text.split(separator: "\n").last.map(String.init)
    #expect(markerLine == "  | " + String(repeating: " ", count: 9) + "^")
  }

  @Test("a long line is shown cut to a window around the error, the caret under it")
  func longLineWindow() throws {
    let source = "x = [" + Array(repeating: "1", count: 200).joined(separator: ",") + ", $]"
    let diagnostics = Parser.parse(source).diagnostics
    try #require(diagnostics.count == 1)
    let lines = DiagnosticRenderer().render(diagnostics[0], in: source).split(separator: "\n")
    let shown = String(lines[3].dropFirst(4))
    let marker = String(lines[4].dropFirst(4))
    #expect(shown.count <= 120)
    #expect(shown.hasPrefix("…"))
    let caret = try #require(marker.firstIndex(of: "^"))
    let column = marker.distance(from: marker.startIndex, to: caret)
    #expect(Array(shown)[column] == "$")
  }
}
