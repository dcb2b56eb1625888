/// Narration in a script: a run of lines whose first non-blank characters are `##`, outside any
/// statement. It is Markdown prose for a reader — a lesson's story between its cells — and the
/// language treats it as a comment, so a script without it runs exactly as before.
///
/// Each line loses its `##` and one blank after it; a bare `##` line is a paragraph break. A
/// blank line or any other line ends the block. A `##` line inside an open bracket belongs to
/// its statement and stays a comment.
///
/// ```swift
/// let blocks = Narration.blocks(in: "## A *filter* is …\n##\n## More.\nm = model vgg-small")
/// // one block on line 1: "A *filter* is …\n\nMore."
/// ```
public struct Narration: Hashable, Sendable {
  /// The Markdown text, `##` prefixes removed, lines joined by line breaks.
  public var text: String
  /// Where the block starts (its first line) and how many characters it covers.
  public var range: SourceRange

  /// Creates a block.
  public init(text: String, range: SourceRange) {
    self.text = text
    self.range = range
  }

  /// The narration blocks of `source`, in order, leaving out `##` lines inside `statements`.
  public static func blocks(in source: String, outside statements: [SourceRange] = [])
    -> [Narration]
  {
    let characters = Array(source)
    var blocks: [Narration] = []
    var lines: [String] = []
    var start: SourceRange?
    var end = 0
    func close() {
      if let first = start {
        blocks.append(
          Narration(
            text: lines.joined(separator: "\n"),
            range: SourceRange(
              line: first.line, column: first.column, length: end - first.offset,
              offset: first.offset)))
      }
      start = nil
      lines = []
    }
    var offset = 0
    var lineNumber = 1
    while offset <= characters.count {
      var lineEnd = offset
      while lineEnd < characters.count, !characters[lineEnd].isNewline { lineEnd += 1 }
      let line = characters[offset..<lineEnd]
      let blanks = line.prefix { $0 == " " || $0 == "\t" }.count
      let body = line.dropFirst(blanks)
      let inside = statements.contains { $0.offset < offset && offset < $0.endOffset }
      if body.starts(with: "##") && !inside {
        if start == nil {
          start = SourceRange(
            line: lineNumber, column: blanks + 1, length: 0, offset: offset + blanks)
        }
        var rest = body.dropFirst(2)
        if rest.first == " " { rest = rest.dropFirst() }
        lines.append(String(rest))
        end = lineEnd
      } else {
        close()
      }
      if lineEnd >= characters.count { break }
      offset = lineEnd + 1
      lineNumber += 1
    }
    close()
    return blocks
  }
}

/// One step of a script in source order: a narration block or a checked statement.
public enum ScriptEntry: Hashable, Sendable {
  /// Prose for the reader (runs nothing).
  case narration(Narration)
  /// A statement to run.
  case statement(CheckedStatement)

  /// Where the entry starts in the source.
  public var offset: Int {
    switch self {
    case .narration(let block): return block.range.offset
    case .statement(let statement): return statement.statement.range.offset
    }
  }
}

extension ScriptCheck {
  /// The checked statements of `source` with its narration blocks between them, in source
  /// order (a script without narration gives its statements alone).
  public func entries(in source: String) -> [ScriptEntry] {
    let ranges = statements.map(\.statement.range)
    let narration = Narration.blocks(in: source, outside: ranges).map(ScriptEntry.narration)
    let all = narration + statements.map(ScriptEntry.statement)
    return all.sorted { $0.offset < $1.offset }
  }
}
