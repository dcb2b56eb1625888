import CommandRuntime
import Foundation

/// A session as a readable notebook: a header (engine, seed, options, where it ran), then
/// every cell's input as code, what it showed (text as preformatted blocks, tables as tables,
/// pictures as SVG), its status and time, and its figures. Narration (text cells) is prose
/// between the cells: Markdown as written, or HTML through ``MarkdownProse``.
///
/// Markdown puts each picture in a file of its own (`<folder>/cell-3-1.svg`: cell 3, first
/// picture) and links it; HTML is one self-contained page with the SVG inline.
///
/// ```swift
/// let markdown = NotebookExporter(session: session, title: "lesson")
///   .markdown(pictureFolder: "lesson.export")
/// // markdown.text, markdown.files: [("lesson.export/cell-3-1.svg", "<?xml …")]
/// let page = NotebookExporter(session: session, title: "lesson").html()
/// ```
public struct NotebookExporter: Sendable {
  /// An export: the document and the files it links to (paths relative to the document).
  public struct Document: Sendable {
    /// The Markdown or HTML text.
    public var text: String
    /// Picture files: relative path and contents.
    public internal(set) var files: [(path: String, contents: String)]
  }

  /// The session.
  public var session: Session
  /// The title (the session file's name without its extension).
  public var title: String

  /// An exporter of `session` titled `title`.
  public init(session: Session, title: String) {
    self.session = session
    self.title = title
  }

  // MARK: - Markdown

  /// The notebook as Markdown, with pictures as SVG files under `pictureFolder`.
  public func markdown(pictureFolder: String) -> Document {
    var out = "# \(markdownInline(title))\n\n"
    out += markdownInline(headerLine) + "  \n"
    out += markdownInline(environmentLine) + "\n"
    var files: [(path: String, contents: String)] = []
    for cell in session.cells {
      if cell.isText {
        out += "\n" + cell.input + "\n"
        continue
      }
      out += "\n## Cell \(cell.number)\n\n"
      out += fenced(cell.input, language: "shears")
      var pictures = 0
      for output in outputs(of: cell) {
        switch output {
        case .text(let text), .progress(let text):
          out += "\n" + fenced(text, language: "text")
        case .warning(let text):
          out += "\n> **warning:** \(markdownInline(text))\n"
        case .table(let table):
          out += "\n" + markdownTable(table)
        case .picture(let picture):
          pictures += 1
          let path = pictureFolder + "/cell-\(cell.number)-\(pictures).svg"
          files.append((path, picture.svg))
          out += "\n![cell \(cell.number), \(picture.kind) \(pictures)](\(linkPath(path)))\n"
        }
      }
      out += "\n" + markdownInline(statusLine(cell)) + "\n"
      if let error = cell.error {
        out += "\n" + fenced(error.message, language: "text")
      }
      if !cell.figures.isEmpty {
        out += "\n<details><summary>figures</summary>\n\n| figure | value |\n|---|---|\n"
        for entry in cell.figures {
          out += "| \(tableCell(entry.name)) | \(tableCell(entry.value.description)) |\n"
        }
        out += "\n</details>\n"
      }
    }
    return Document(text: out, files: files)
  }

  // MARK: - HTML

  /// The notebook as one self-contained HTML page with the pictures inline.
  public func html() -> String {
    var out = """
      <!DOCTYPE html>
      <html lang="en">
      <head>
      <meta charset="utf-8">
      <title>\(html(title))</title>
      <style>
      body { font-family: sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; }
      pre { background: #f6f8fa; padding: 0.6rem; overflow-x: auto; }
      pre.input { background: #eef3fb; border-left: 3px solid #4a78c2; }
      table { border-collapse: collapse; margin: 0.6rem 0; }
      td, th { border: 1px solid #ccc; padding: 0.2rem 0.5rem; }
      td.number { text-align: right; font-variant-numeric: tabular-nums; }
      .status { color: #555; font-size: 0.9rem; }
      .error { color: #b00020; }
      .warning { color: #8a6d00; }
      figure { margin: 0.6rem 0; }
      .prose { margin: 1.2rem 0; line-height: 1.5; }
      .prose code { background: #f6f8fa; padding: 0 0.2rem; }
      </style>
      </head>
      <body>

      """
    out += "<h1>\(html(title))</h1>\n"
    out += "<p class=\"status\">\(html(headerLine))<br>\(html(environmentLine))</p>\n"
    for cell in session.cells {
      if cell.isText {
        out += "<div class=\"prose\" id=\"cell-\(cell.number)\">\n"
        out += MarkdownProse.html(cell.input) + "</div>\n"
        continue
      }
      out += "<section id=\"cell-\(cell.number)\">\n<h2>Cell \(cell.number)</h2>\n"
      out += "<pre class=\"input\"><code>\(html(cell.input))</code></pre>\n"
      for output in outputs(of: cell) {
        switch output {
        case .text(let text), .progress(let text):
          out += "<pre>\(html(text))</pre>\n"
        case .warning(let text):
          out += "<p class=\"warning\">warning: \(html(text))</p>\n"
        case .table(let table):
          out += htmlTable(table)
        case .picture(let picture):
          out += "<figure>\(inlineSVG(picture.svg))</figure>\n"
        }
      }
      let statusClass = cell.status == "ok" ? "status" : "status error"
      out += "<p class=\"\(statusClass)\">\(html(statusLine(cell)))</p>\n"
      if let error = cell.error {
        out += "<pre class=\"error\">\(html(error.message))</pre>\n"
      }
      if !cell.figures.isEmpty {
        out += "<details><summary>figures</summary>\n<table>\n"
        for entry in cell.figures {
          out += "<tr><td>\(html(entry.name))</td><td>\(html(entry.value.description))</td></tr>\n"
        }
        out += "</table>\n</details>\n"
      }
      out += "</section>\n"
    }
    return out + "</body>\n</html>\n"
  }

  // MARK: - Shared pieces

  /// What a cell showed: its recorded outputs, or its rendered text when none were recorded.
  private func outputs(of cell: SessionCell) -> [CellOutput] {
    if !cell.outputs.isEmpty { return cell.outputs }
    if cell.renderedText.isEmpty || cell.error != nil { return [] }
    return [.text(cell.renderedText)]
  }

  private var headerLine: String {
    let options = session.header.options
    var parts = [
      "Shears \(session.header.engine)", "seed \(options.seed)", "\(options.threads) threads",
      "\(options.convolution.rawValue) convolutions",
    ]
    if let limit = options.dataLimit { parts.append("data limit \(limit)") }
    parts.append("recorded \(session.header.created)")
    parts.append("\(session.cells.count) cells")
    return parts.joined(separator: " · ")
  }

  private var environmentLine: String {
    let environment = session.header.environment
    return "on \(environment.cpu) (\(environment.cores) cores), \(environment.os); "
      + "Swift \(environment.swift), oneDNN \(environment.onednn)"
  }

  private func statusLine(_ cell: SessionCell) -> String {
    let time = String(format: "%.2f s", cell.elapsed)
    var line: String
    switch cell.status {
    case "ok": line = "ok"
    case "interrupted": line = "interrupted (nothing was bound)"
    default: line = "\(cell.error?.stage ?? "runtime") error"
    }
    line += " · " + time
    if cell.resultType != "Nothing" {
      line += " · " + (cell.boundName.map { "\($0): " } ?? "") + cell.resultType
    }
    return line
  }

  // MARK: Markdown helpers

  /// A fenced code block with a fence longer than any run of backticks in `text`.
  private func fenced(_ text: String, language: String) -> String {
    var longest = 0
    var run = 0
    for character in text {
      run = character == "`" ? run + 1 : 0
      longest = max(longest, run)
    }
    let fence = String(repeating: "`", count: max(3, longest + 1))
    return fence + language + "\n" + text + "\n" + fence + "\n"
  }

  /// Text with Markdown's inline markup characters escaped.
  private func markdownInline(_ text: String) -> String {
    var out = ""
    for character in text {
      if "\\`*_[]<>#|".contains(character) { out.append("\\") }
      out.append(character == "\n" ? " " : character)
    }
    return out
  }

  private func tableCell(_ text: String) -> String {
    markdownInline(text)
  }

  private func markdownTable(_ table: CellOutput.TableRecord) -> String {
    var out = ""
    if let title = table.title { out += "**\(markdownInline(title))**\n\n" }
    out += "| " + table.columns.map { tableCell($0.header) }.joined(separator: " | ") + " |\n"
    out += "|" + table.columns.map { $0.numeric ? "---:" : "---" }.joined(separator: "|") + "|\n"
    for row in table.rows {
      let cells = (0..<table.columns.count).map { $0 < row.count ? tableCell(row[$0]) : "" }
      out += "| " + cells.joined(separator: " | ") + " |\n"
    }
    return out
  }

  /// A relative path with spaces and parentheses percent-encoded for a Markdown link.
  private func linkPath(_ path: String) -> String {
    path.replacingOccurrences(of: "%", with: "%25").replacingOccurrences(of: " ", with: "%20")
      .replacingOccurrences(of: "(", with: "%28").replacingOccurrences(of: ")", with: "%29")
  }

  // MARK: HTML helpers

  /// Text escaped for HTML content and attribute values.
  private func html(_ text: String) -> String { MarkdownProse.escape(text) }

  private func htmlTable(_ table: CellOutput.TableRecord) -> String {
    var out = "<table>\n"
    if let title = table.title { out += "<caption>\(html(title))</caption>\n" }
    out += "<tr>" + table.columns.map { "<th>\(html($0.header))</th>" }.joined() + "</tr>\n"
    for row in table.rows {
      out += "<tr>"
      for (index, column) in table.columns.enumerated() {
        let text = index < row.count ? row[index] : ""
        out += column.numeric ? "<td class=\"number\">\(html(text))</td>" : "<td>\(html(text))</td>"
      }
      out += "</tr>\n"
    }
    return out + "</table>\n"
  }

  /// The SVG without its XML declaration, inline; an SVG that could run script (a hand-made
  /// session) is shown through an `<img>` instead, where browsers run none.
  private func inlineSVG(_ svg: String) -> String {
    var body = svg
    if body.hasPrefix("<?xml"), let end = body.range(of: "?>") {
      body = String(body[end.upperBound...])
    }
    body = body.trimmingCharacters(in: .whitespacesAndNewlines)
    let lower = body.lowercased()
    let risky =
      ["<script", "javascript:", "<foreignobject", "<iframe", "<!entity"].contains {
        lower.contains($0)
      } || hasEventAttribute(lower)
    guard body.hasPrefix("<svg"), body.hasSuffix("</svg>"), !risky else {
      let encoded = Data(svg.utf8).base64EncodedString()
      return "<img alt=\"picture\" src=\"data:image/svg+xml;base64,\(encoded)\">"
    }
    return body
  }

  /// Whether an SVG's text has an event-handler attribute (`onload=`, `onclick =`, …).
  private func hasEventAttribute(_ lower: String) -> Bool {
    let characters = Array(lower)
    var index = 0
    while index + 3 < characters.count {
      if characters[index].isWhitespace && characters[index + 1] == "o"
        && characters[index + 2] == "n"
      {
        var end = index + 3
        while end < characters.count && characters[end].isLetter { end += 1 }
        while end < characters.count && characters[end] == " " { end += 1 }
        if end > index + 3 && end < characters.count && characters[end] == "=" { return true }
      }
      index += 1
    }
    return false
  }
}
