import Testing

@testable import CommandLanguage

/// `##` lines as narration blocks between statements.
@Suite("Narration")
struct NarrationTests {
  @Test("consecutive ## lines form one block; the prefix and one blank go; ## alone is a break")
  func blocks() {
    let source = "## # Title\n##   indented\n##\n## more\nx = 1\n# a comment\n  ## second\n"
    let blocks = Narration.blocks(in: source)
    #expect(blocks.map(\.text) == ["# Title\n  indented\n\nmore", "second"])
    #expect(blocks.map(\.range.line) == [1, 7])
    #expect(blocks[1].range.column == 3)
    #expect(blocks[0].range.offset == 0)
    #expect(blocks[1].range.offset == 56)
  }

  @Test("a ## line inside an open bracket belongs to its statement")
  func insideBrackets() throws {
    let source = "x = [1,\n## not narration\n2]\n## narration"
    let check = Checker(context: StaticCheckContext(signatures: [])).check(source: source)
    #expect(check.diagnostics.isEmpty)
    let entries = check.entries(in: source)
    #expect(entries.count == 2)
    guard case .statement = entries[0], case .narration(let block) = entries[1] else {
      Issue.record("expected a statement, then narration: \(entries)")
      return
    }
    #expect(block.text == "narration")
  }

  @Test("a script without narration gives its statements alone, in order")
  func noNarration() {
    let source = "# a comment\nx = 1\ny = 2 # trailing\n"
    let check = Checker(context: StaticCheckContext(signatures: [])).check(source: source)
    let entries = check.entries(in: source)
    #expect(entries.count == 2)
    #expect(entries.allSatisfy { if case .statement = $0 { true } else { false } })
    #expect(Narration.blocks(in: source).isEmpty)
  }
}
