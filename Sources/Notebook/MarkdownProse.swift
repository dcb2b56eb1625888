import Foundation

/// The small part of Markdown that narration uses, as HTML: headings (`#` to `######`),
/// paragraphs, bullet (`-`, `*`) and numbered (`1.`) lists, fenced code blocks, and inline
/// `` `code` ``, `**strong**` and `*emphasis*` (or `_emphasis_`). Everything else is text:
/// every character is escaped, so no markup in a session can reach the page as HTML.
///
/// ```swift
/// MarkdownProse.html("A *filter* has `C·K·K` weights.")
/// // "<p>A <em>filter</em> has <code>C·K·K</code> weights.</p>\n"
/// ```
public enum MarkdownProse {
  /// The HTML of `markdown`, block by block.
  public static func html(_ markdown: String) -> String {
    var out = ""
    var paragraph: [String] = []
    var list: (tag: String, items: [String])?
    var code: [String]?
    func flushParagraph() {
      if !paragraph.isEmpty {
        out += "<p>" + inline(paragraph.joined(separator: " ")) + "</p>\n"
        paragraph = []
      }
    }
    func flushList() {
      if let open = list {
        out += "<\(open.tag)>\n"
        for item in open.items { out += "<li>" + inline(item) + "</li>\n" }
        out += "</\(open.tag)>\n"
        list = nil
      }
    }
    for raw in markdown.split(separator: "\n", omittingEmptySubsequences: false) {
      let line = String(raw)
      let trimmed = line.trimmingCharacters(in: .whitespaces)
      if var lines = code {
        if trimmed.hasPrefix("```") {
          out += "<pre><code>" + escape(lines.joined(separator: "\n")) + "</code></pre>\n"
          code = nil
        } else {
          lines.append(line)
          code = lines
        }
        continue
      }
      if trimmed.hasPrefix("```") {
        flushParagraph()
        flushList()
        code = []
      } else if trimmed.isEmpty {
        flushParagraph()
        flushList()
      } else if let (level, text) = heading(trimmed) {
        flushParagraph()
        flushList()
        out += "<h\(level + 2)>" + inline(text) + "</h\(level + 2)>\n"
      } else if let (tag, text) = listItem(trimmed) {
        flushParagraph()
        if list?.tag != tag { flushList() }
        list = (tag, (list?.items ?? []) + [text])
      } else if var open = list, line.hasPrefix(" ") {
        open.items[open.items.count - 1] += " " + trimmed
        list = open
      } else {
        flushList()
        paragraph.append(trimmed)
      }
    }
    if let lines = code {
      out += "<pre><code>" + escape(lines.joined(separator: "\n")) + "</code></pre>\n"
    }
    flushParagraph()
    flushList()
    return out
  }

  /// `# Title` → (1, "Title"); levels 1–4 become `<h3>`…`<h6>` below the page's own.
  private static func heading(_ line: String) -> (Int, String)? {
    let hashes = line.prefix { $0 == "#" }.count
    guard (1...4).contains(hashes), line.dropFirst(hashes).first == " " else { return nil }
    return (hashes, String(line.dropFirst(hashes + 1)))
  }

  private static func listItem(_ line: String) -> (String, String)? {
    if line.hasPrefix("- ") || line.hasPrefix("* ") { return ("ul", String(line.dropFirst(2))) }
    let digits = line.prefix { $0.isASCII && $0.isNumber }.count
    if digits > 0, line.dropFirst(digits).hasPrefix(". ") {
      return ("ol", String(line.dropFirst(digits + 2)))
    }
    return nil
  }

  /// Inline markup of one block's text: code spans first (their text is literal), then strong
  /// and emphasis outside them.
  public static func inline(_ text: String) -> String {
    var out = ""
    var rest = Substring(text)
    while let tick = rest.firstIndex(of: "`") {
      out += emphasis(escape(String(rest[..<tick])))
      let after = rest[rest.index(after: tick)...]
      guard let close = after.firstIndex(of: "`") else {
        rest = rest[tick...]
        break
      }
      out += "<code>" + escape(String(after[..<close])) + "</code>"
      rest = after[after.index(after: close)...]
    }
    return out + emphasis(escape(String(rest)))
  }

  /// `**x**` → strong, then `*x*` and `_x_` → em, in escaped text (the markers are not escaped).
  private static func emphasis(_ text: String) -> String {
    var out = replacePairs(text, marker: "**", tag: "strong")
    out = replacePairs(out, marker: "*", tag: "em")
    return replacePairs(out, marker: "_", tag: "em", wordBounded: true)
  }

  private static func replacePairs(
    _ text: String, marker: String, tag: String, wordBounded: Bool = false
  ) -> String {
    let parts = text.components(separatedBy: marker)
    guard parts.count >= 3 else { return text }
    var out = parts[0]
    var index = 1
    while index < parts.count {
      let inner = parts[index]
      let closes = index + 1 < parts.count
      let usable =
        closes && !inner.isEmpty && inner.first != " " && inner.last != " "
        && (!wordBounded
          || ((out.last.map { !$0.isLetter && !$0.isNumber } ?? true)
            && (parts[index + 1].first.map { !$0.isLetter && !$0.isNumber } ?? true)))
      if usable {
        out += "<\(tag)>" + inner + "</\(tag)>" + parts[index + 1]
        index += 2
      } else {
        out += marker + inner
        index += 1
      }
    }
    return out
  }

  /// Text escaped for HTML.
  public static func escape(_ text: String) -> String {
    var out = ""
    for character in text {
      switch character {
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "\"": out += "&quot;"
      case "'": out += "&#39;"
      default: out.append(character)
      }
    }
    return out
  }
}
