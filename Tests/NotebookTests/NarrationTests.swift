import CommandRuntime
import Foundation
import Notebook
import Testing

/// Narration kept as text cells: nothing drawn, no figure changed, verified, exported as prose.
@Suite("Narration in sessions")
struct NarrationTests {
  /// The fixture's inputs with narration between them (and a random draw that reads d).
  static let plain = Fixtures.inputs + ["p = plan m by random ratio=50%"]

  /// Records `inputs`, where an input starting with `## ` is narration (the rest of it).
  static func record(_ inputs: [String]) throws -> SessionRecorder {
    let recorder = SessionRecorder(runtime: try Fixtures.runtime(), engine: "test")
    for input in inputs {
      if input.hasPrefix("##") {
        #expect(recorder.note(String(input.dropFirst(3))).isEmpty)
      } else {
        _ = recorder.execute(input)
      }
    }
    return recorder
  }

  @Test("inserting narration changes no figure, binding hash or shown output of any cell")
  func noFigureChanges() throws {
    let without = try Self.record(Self.plain)
    var narrated: [String] = ["## A *lesson* begins."]
    for input in Self.plain { narrated += [input, "## Between cells: `\(input.prefix(5))`."] }
    let with = try Self.record(narrated)
    let commands = with.session.cells.filter { !$0.isText }
    #expect(with.session.cells.count == Self.plain.count * 2 + 1)
    #expect(commands.count == without.session.cells.count)
    for (a, b) in zip(without.session.cells, commands) {
      #expect(a.input == b.input)
      #expect(a.status == b.status)
      #expect(a.figures == b.figures, "cell \(a.input)")
      #expect(a.bindingHashes == b.bindingHashes, "cell \(a.input)")
      #expect(a.renderedText == b.renderedText)
    }
    // A text cell keeps the bindings as they were after the cell before it.
    let cells = with.session.cells
    for index in cells.indices.dropFirst() where cells[index].isText {
      #expect(cells[index].bindingHashes == cells[index - 1].bindingHashes)
    }
    // The random plan really drew (its removed channels are a figure), so the check bites.
    #expect(commands.last?.figures.isEmpty == false)
  }

  @Test("a session with narration saves, loads and verifies; an edited narration is named")
  func verifies() throws {
    let folder = try TemporaryFolder()
    let path = folder.path + "/n.json"
    try Self.record(["## Start.", Fixtures.inputs[0], "## Middle.", Fixtures.inputs[1]])
      .save(to: path, overwrite: false)
    let loaded = try SessionFile.load(path)
    #expect(loaded.session.cells.map(\.status) == ["text", "ok", "text", "ok"])
    #expect(loaded.session.cells[2].input == "Middle.")
    let report = try Replayer(session: loaded.session, blobs: loaded.blobs)
      .run(on: try Fixtures.runtime(), verify: true)
    #expect(report.divergence == nil)
    #expect(report.ran == 2)  // the text cells run nothing

    var edited = loaded.session
    edited.cells[2].input = "Something else."
    let broken = try Replayer(session: edited, blobs: loaded.blobs)
      .run(on: try Fixtures.runtime(), verify: true)
    #expect(broken.divergence?.cell == 3)
  }

  @Test("export renders narration as prose between the cells, escaped")
  func export() throws {
    let recorder = try Self.record([
      "## # Title\nA *filter* has `C·K·K` <weights>.", Fixtures.inputs[0],
    ])
    let session = recorder.session
    let markdown = NotebookExporter(session: session, title: "n").markdown(pictureFolder: "x")
    #expect(markdown.text.contains("\n# Title\nA *filter* has `C·K·K` <weights>.\n"))
    #expect(!markdown.text.contains("## Cell 1\n"))
    #expect(markdown.text.contains("## Cell 2\n"))
    let page = NotebookExporter(session: session, title: "n").html()
    #expect(page.contains("<h3>Title</h3>"))
    #expect(page.contains("<p>A <em>filter</em> has <code>C·K·K</code> &lt;weights&gt;.</p>"))
    let prose = try #require(page.range(of: "class=\"prose\""))
    let cell = try #require(page.range(of: "<h2>Cell 2</h2>"))
    #expect(prose.lowerBound < cell.lowerBound)
  }

  @Test("Markdown prose: lists, code blocks, strong, and markers that are not markup")
  func markdownProse() {
    #expect(
      MarkdownProse.html("- one\n- **two**\n\n1. a\n2. b")
        == "<ul>\n<li>one</li>\n<li><strong>two</strong></li>\n</ul>\n"
        + "<ol>\n<li>a</li>\n<li>b</li>\n</ol>\n")
    #expect(MarkdownProse.html("```\nx < 1 *y*\n```") == "<pre><code>x &lt; 1 *y*</code></pre>\n")
    #expect(MarkdownProse.html("2 * 3 and snake_case_name") == "<p>2 * 3 and snake_case_name</p>\n")
    #expect(MarkdownProse.html("a\nb\n\nc") == "<p>a b</p>\n<p>c</p>\n")
    #expect(MarkdownProse.html("<script>") == "<p>&lt;script&gt;</p>\n")
  }
}
