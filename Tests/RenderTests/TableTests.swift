import Testing

@testable import Render

@Suite struct TableTests {
  /// Three rows: text left-aligned, numbers right-aligned, a blank-free `n/a` cell.
  func sample(title: String? = "Layers") -> Table {
    var table = Table(
      title: title, columns: [.text("layer"), .numeric("params"), .numeric("ratio")])
    table.addRow(["conv1", NumberFormat.grouped(432), NumberFormat.percent(0.25)])
    table.addRow(["layer1.0.conv1", NumberFormat.grouped(40_554_496), NumberFormat.percent(0.5)])
    table.addRow(["fc", "650", NumberFormat.percent(.nan)])
    return table
  }

  @Test func asciiGolden() {
    let expected = """
      Layers
      +----------------+------------+-------+
      | layer          |     params | ratio |
      +----------------+------------+-------+
      | conv1          |        432 | 25.0% |
      | layer1.0.conv1 | 40,554,496 | 50.0% |
      | fc             |        650 |   n/a |
      +----------------+------------+-------+
      """
    #expect(sample().render(style: .plain) == expected)
  }

  @Test func unicodeGolden() {
    let expected = """
      ┌────────────────┬────────────┬───────┐
      │ layer          │     params │ ratio │
      ├────────────────┼────────────┼───────┤
      │ conv1          │        432 │ 25.0% │
      │ layer1.0.conv1 │ 40,554,496 │ 50.0% │
      │ fc             │        650 │   n/a │
      └────────────────┴────────────┴───────┘
      """
    #expect(sample(title: nil).render(style: .unicodePlain) == expected)
  }

  @Test func boldHeaderOnlyWithColour() {
    let colored = sample().render(style: TerminalStyle(color: true, unicode: true))
    #expect(colored.contains("\u{1B}[1m"))
    #expect(!sample().render(style: .unicodePlain).contains("\u{1B}"))
  }

  @Test func narrowWidthCutsTextColumnsOnly() {
    let text = sample().render(style: TerminalStyle(color: false, unicode: false, width: 30))
    let lines = text.split(separator: "\n")
    for line in lines { #expect(line.count <= 30) }
    // The layer column shrinks from 14 to 5 columns; numbers stay whole.
    #expect(lines.contains("| laye~ | 40,554,496 | 50.0% |"))
  }

  @Test func shortAndEmptyRows() {
    var table = Table(columns: [.text("a"), .numeric("b")])
    #expect(table.render(style: .plain) == "+---+---+\n| a | b |\n+---+---+\n+---+---+")
    table.addRow(["x"])
    table.addRow(["y", "1", "dropped"])
    #expect(
      table.render(style: .plain)
        == "+---+---+\n| a | b |\n+---+---+\n| x |   |\n| y | 1 |\n+---+---+")
    #expect(Table(columns: []).render(style: .plain) == "(no columns)")
  }

  @Test func svgHasHeaderAndCells() {
    var table = sample()
    table.addRow(["<&>\"", "1", "2"])
    let svg = inspect(table.svg())
    #expect(svg.count("text", className: "header") == 3)
    #expect(svg.count("text", className: "cell") == 12)
    #expect(svg.elements("text", className: "cell").map(\.text).contains("<&>\""))
  }
}
