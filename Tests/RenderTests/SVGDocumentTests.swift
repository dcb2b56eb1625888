import Testing

@testable import Render

@Suite struct SVGDocumentTests {
  @Test func escapesMarkupCharacters() {
    #expect(
      SVGDocument.escape("a<b & c>\"d\" 'e'") == "a&lt;b &amp; c&gt;&quot;d&quot; &apos;e&apos;")
    // Control characters XML 1.0 forbids are dropped; tab and newline stay.
    #expect(SVGDocument.escape("x\u{01}y\u{1B}z\tw\n") == "xyz\tw\n")
    #expect(SVGDocument.escape("ρ σ ≥ 日本") == "ρ σ ≥ 日本")
  }

  @Test func numbers() {
    #expect(SVGDocument.number(12.5) == "12.5")
    #expect(SVGDocument.number(3) == "3")
    #expect(SVGDocument.number(-0.25) == "-0.25")
    #expect(SVGDocument.number(1.0 / 3) == "0.33")
    #expect(SVGDocument.number(-0.001) == "0")
    #expect(SVGDocument.number(.nan) == "0")
  }

  @Test func documentStructure() {
    var document = SVGDocument(width: 120, height: 40.5)
    document.rect(
      x: 0, y: 0, width: 50, height: 20, fill: "#3366cc", className: "bar", tooltip: "<tip>")
    document.text("a < b & \"c\"", x: 60, y: 15, rotation: -45)
    document.line(x1: 0, y1: 0, x2: 10, y2: 10, dashed: true)
    document.circle(cx: 5, cy: 5, r: 2, fill: "red")
    document.path(subpaths: [[(0, 0), (1, 1)], [(2, 2)]], stroke: "blue", className: "p")
    document.path(subpaths: [[(0, 0)]], stroke: "blue", className: "skipped")
    let text = document.render()
    #expect(text.hasPrefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg "))
    #expect(text.hasSuffix("</svg>\n"))
    let svg = inspect(text)
    #expect(svg.root["width"] == "120")
    #expect(svg.root["height"] == "40.5")
    #expect(svg.root["viewBox"] == "0 0 120 40.5")
    #expect(svg.root["xmlns"] == "http://www.w3.org/2000/svg" || svg.root["xmlns"] == nil)
    #expect(svg.count("rect") == 2)  // background and bar
    #expect(svg.elements("title").first?.text == "<tip>")
    #expect(svg.elements("text").first?.text == "a < b & \"c\"")
    #expect(svg.elements("text").first?.attributes["transform"] == "rotate(-45 60 15)")
    #expect(svg.elements("path", className: "p").first?.attributes["d"] == "M0 0 L1 1")
    #expect(svg.count("path", className: "skipped") == 0)
    #expect(svg.count("line") == 1)
    #expect(svg.count("circle") == 1)
  }

  @Test func labelsWithControlCharactersStillParse() throws {
    let map = try HeatMap(labels: ["bad\u{0}name", "ok"], values: [[1, 0], [0, 1]])
    let svg = inspect(map.svg())
    #expect(svg.elements("text", className: "row-label").first?.text == "badname")
  }
}
