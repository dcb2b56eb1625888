import CommandRuntime
import Foundation
import Notebook
import Testing

/// Exporting a session as Markdown and HTML.
@Suite("Export")
struct ExportTests {
  @Test("Markdown has every input as code, tables, and each picture as an SVG file")
  func markdown() throws {
    let recorder = try Fixtures.record()
    let document = NotebookExporter(session: recorder.session, title: "lesson")
      .markdown(pictureFolder: "lesson.export")
    let text = document.text
    #expect(text.hasPrefix("# lesson\n"))
    #expect(text.contains("```shears\nd = data synthetic classes=4 size=8 count=64\n```"))
    #expect(text.contains("```shears\ns = score m by l1\nplot s\n```"))
    #expect(text.contains("## Cell 4"))
    #expect(text.contains("| figure | value |"))  // the eval table
    #expect(document.files.count == 1)
    #expect(document.files.first?.path == "lesson.export/cell-3-1.svg")
    #expect(document.files.first?.contents.contains("<svg") == true)
    #expect(text.contains("](lesson.export/cell-3-1.svg)"))
    #expect(text.contains("seed 11"))
  }

  @Test("HTML is one page with the pictures inline and every text escaped")
  func html() throws {
    let recorder = try Fixtures.record(["t = \"<b>&</b>\"", Fixtures.inputs[0]])
    var session = recorder.session
    session.cells.append(
      SessionCell(
        number: 3, input: "plot x",
        outputs: [
          .picture(
            .init(kind: "barChart", text: "", svg: "<?xml version=\"1.0\"?>\n<svg><rect/></svg>\n")),
          .picture(.init(kind: "barChart", text: "", svg: "<svg onload=\"alert(1)\"></svg>")),
        ]))
    let page = NotebookExporter(session: session, title: "a <title>").html()
    #expect(page.hasPrefix("<!DOCTYPE html>"))
    #expect(page.contains("<title>a &lt;title&gt;</title>"))
    #expect(page.contains("t = &quot;&lt;b&gt;&amp;&lt;/b&gt;&quot;"))
    #expect(!page.contains("<b>&</b>"))
    #expect(page.contains("<figure><svg><rect/></svg></figure>"))
    // An SVG with a script handler is not inlined.
    #expect(!page.contains("onload"))
    #expect(page.contains("<img alt=\"picture\" src=\"data:image/svg+xml;base64,"))
    #expect(page.hasSuffix("</html>\n"))
  }
}
