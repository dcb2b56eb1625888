import CommandLanguage
import Testing

@Suite("DiagnosticRenderer")
struct RendererTests {
  private func only(_ source: String) throws -> Diagnostic {
    let diagnostics = Fixtures.diagnostics(source)
    try #require(diagnostics.count == 1)
    return diagnostics[0]
  }

  @Test("file style, one-character span")
  func fileStyle() throws {
    let source = "prune d with p"
    let expected = """
      error: prune expects a Model here, but d is a Dataset
       --> 1:7
        |
      1 | prune d with p
        |       ^
      """
    #expect(DiagnosticRenderer().render(try only(source), in: source) == expected)
  }

  @Test("file style with a file name, a longer span and a help line")
  func fileStyleWithNameAndHelp() throws {
    let source = "prune m"
    let expected = """
      error: prune is missing plan: a Plan after 'with'
       --> lesson.shears:1:1
        |
      1 | prune m
        | ^~~~~
        = help: usage: m2 = prune m with p
      """
    let renderer = DiagnosticRenderer(style: .file(name: "lesson.shears"))
    #expect(renderer.render(try only(source), in: source) == expected)
  }

  @Test("the gutter widens for two-digit line numbers")
  func wideGutter() throws {
    let source = String(repeating: "m\n", count: 9) + "prune d with p"
    let expected = """
      error: prune expects a Model here, but d is a Dataset
        --> 10:7
         |
      10 | prune d with p
         |       ^
      """
    #expect(DiagnosticRenderer().render(try only(source), in: source) == expected)
  }

  @Test("tabs before the span are copied so the caret lines up")
  func tabs() throws {
    let source = "prune\td with p"
    let rendered = DiagnosticRenderer().render(try only(source), in: source)
    #expect(rendered.split(separator: "\n").last == "  |      \t^")
  }

  @Test("a span that crosses lines is clipped to its first line")
  func clippedSpan() throws {
    // The parenthesised call starts at column 7 of "prune (score m" (8 characters to the end).
    let source = "prune (score m\n  by l1) with p"
    let diagnostic = try only(source)
    #expect(diagnostic.range.line == 1)
    #expect(diagnostic.range.column == 7)
    #expect(diagnostic.range.length == 8 + 1 + 8)  // "(score m", the line break, "  by l1)"
    let rendered = DiagnosticRenderer().render(diagnostic, in: source)
    #expect(rendered.split(separator: "\n").last == "  |       ^~~~~~~~")
  }

  @Test("an empty span at the end of the line gets one caret after the last character")
  func emptySpan() throws {
    let source = "x ="
    let rendered = DiagnosticRenderer().render(try only(source), in: source)
    #expect(rendered.split(separator: "\n").last == "  |    ^")
  }

  @Test("prompt style puts the caret under the echoed line, offset by the prompt width")
  func promptStyle() throws {
    let source = "prune d with p"
    let renderer = DiagnosticRenderer(style: .prompt(width: "shears> ".count))
    let expected = "              ^ prune expects a Model here, but d is a Dataset"
    #expect(renderer.render(try only(source), in: source) == expected)
  }

  @Test("prompt style with help and a longer span")
  func promptStyleHelp() throws {
    let source = "prune m"
    let renderer = DiagnosticRenderer(style: .prompt(width: 8))
    let expected = """
              ^~~~~ prune is missing plan: a Plan after 'with'
              help: usage: m2 = prune m with p
      """
    #expect(renderer.render(try only(source), in: source) == expected)
  }

  @Test("prompt style echoes the line when the error is not on the last input line")
  func promptStyleEarlierLine() throws {
    let source = "s = similarity m by [\n  l1,\n  fpmg,\n]"
    let renderer = DiagnosticRenderer(style: .prompt(width: 8))
    let expected = """
                fpmg,
                ^~~~ unknown name 'fpmg'; did you mean 'fpgm'?
      """
    #expect(renderer.render(try only(source), in: source) == expected)
  }

  @Test("several diagnostics are separated by a blank line")
  func several() {
    let source = "prune d with p\nscore m by fpmg"
    let rendered = DiagnosticRenderer().render(Fixtures.diagnostics(source), in: source)
    let expected = """
      error: prune expects a Model here, but d is a Dataset
       --> 1:7
        |
      1 | prune d with p
        |       ^

      error: unknown name 'fpmg'; did you mean 'fpgm'?
       --> 2:12
        |
      2 | score m by fpmg
        |            ^~~~
      """
    #expect(rendered == expected)
  }

  @Test("description is line:column: error: message")
  func description() throws {
    #expect(
      try only("prune d with p").description
        == "1:7: error: prune expects a Model here, but d is a Dataset")
  }
}
