import CommandLanguage
import Foundation

/// A list of values of one type (`[l1, l2, fpgm]` is a `List of Criterion`).
///
/// Archive: JSON (sorted keys) `{"elements": [{"type": "Criterion", "bytes": "<base64>"}, …]}`,
/// each element archived by its own kind; a nested list's element is
/// `{"type": "List of …", "elements": […]}` inline. Figures: `count`, then each element's figures
/// prefixed `0.`, `1.`, ….
public struct ListValue: Value {
  /// The elements.
  public var elements: [any Value]
  /// The list's type (`List of Criterion`).
  public var type: ValueType

  /// A list of `elements` with type `type` (a list type).
  public init(_ elements: [any Value], type: ValueType) {
    self.elements = elements
    self.type = type
  }

  public var summary: String {
    "[" + elements.map(\.summary).joined(separator: ", ") + "]"
  }

  public var figures: Figures {
    var figures = Figures([("count", .count(elements.count))])
    for (index, element) in elements.enumerated() {
      figures.append(contentsOf: element.figures, prefix: "\(index).")
    }
    return figures
  }

  /// One element: a value archived by its kind (`bytes`, base64), or a nested list written
  /// inline (`elements`), so that nesting costs linear space rather than a base64 layer (a
  /// third more) per level.
  struct StoredElement: Codable {
    var type: String
    var bytes: String?
    var elements: [StoredElement]?
  }

  struct Stored: Codable {
    var elements: [StoredElement]
  }

  func stored() throws -> [StoredElement] {
    try elements.map { element in
      if let list = element as? ListValue {
        return StoredElement(type: list.type.description, elements: try list.stored())
      }
      return StoredElement(
        type: element.type.description, bytes: Data(try element.archive()).base64EncodedString())
    }
  }

  /// JSON of the elements: each archived by its kind and base64-encoded, nested lists inline.
  public func archive() throws -> [UInt8] {
    try JSONCoding.encode(Stored(elements: try stored()))
  }

  /// One line per element.
  public func details() -> [OutputItem] {
    [
      .text(
        elements.enumerated().map { "\($0.offset): \($0.element.summary)" }.joined(separator: "\n"))
    ]
  }
}
