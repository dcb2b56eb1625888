import Foundation
import Testing

#if canImport(FoundationXML)
  import FoundationXML
#endif

/// Parses an SVG document with Foundation's XMLParser and records its elements, so tests can
/// check that it is well-formed XML and count what it draws.
final class SVGInspector: NSObject, XMLParserDelegate {
  /// One parsed element: its name, attributes, and the text directly inside it.
  struct Element {
    var name: String
    var attributes: [String: String]
    var text: String
  }

  private(set) var elements: [Element] = []
  private var stack: [Int] = []
  private(set) var parsed = false
  private(set) var errorDescription: String?

  init(_ svg: String) {
    super.init()
    let parser = XMLParser(data: Data(svg.utf8))
    parser.delegate = self
    parsed = parser.parse()
    if !parsed { errorDescription = parser.parserError.map { "\($0)" } ?? "unknown error" }
  }

  func parser(
    _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
    qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]
  ) {
    elements.append(Element(name: elementName, attributes: attributeDict, text: ""))
    stack.append(elements.count - 1)
  }

  func parser(_ parser: XMLParser, foundCharacters string: String) {
    if let top = stack.last { elements[top].text += string }
  }

  func parser(
    _ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?,
    qualifiedName qName: String?
  ) {
    stack.removeLast()
  }

  /// Elements named `name`, optionally with the given `class` attribute.
  func elements(_ name: String, className: String? = nil) -> [Element] {
    elements.filter { element in
      element.name == name && (className == nil || element.attributes["class"] == className)
    }
  }

  /// The number of elements named `name` (with the given class when not nil).
  func count(_ name: String, className: String? = nil) -> Int {
    elements(name, className: className).count
  }

  /// The root element's attributes.
  var root: [String: String] { elements.first?.attributes ?? [:] }
}

/// Parses `svg`, records an issue when it is not well-formed, and checks the root element.
func inspect(_ svg: String, sourceLocation: SourceLocation = #_sourceLocation) -> SVGInspector {
  let inspector = SVGInspector(svg)
  #expect(
    inspector.parsed, "SVG does not parse: \(inspector.errorDescription ?? "")",
    sourceLocation: sourceLocation)
  #expect(inspector.elements.first?.name == "svg", sourceLocation: sourceLocation)
  #expect(inspector.root["version"] == "1.1", sourceLocation: sourceLocation)
  #expect(inspector.root["width"] != nil, sourceLocation: sourceLocation)
  #expect(inspector.root["height"] != nil, sourceLocation: sourceLocation)
  #expect(inspector.root["viewBox"]?.hasPrefix("0 0 ") == true, sourceLocation: sourceLocation)
  return inspector
}
