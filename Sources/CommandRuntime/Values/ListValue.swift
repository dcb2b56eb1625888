import CommandLanguage
import Foundation

/// A list of values of one type (`[l1, l2, fpgm]` is a `List of Criterion`).
///
/// Archive: JSON (sorted keys) `{"elements": [{"type": "Criterion", "bytes": "<base64>"}, …]}`,
/// each element archived by its own kind. Figures: `count`, then each element's figures
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

  struct StoredElement: Codable {
    var type: String
    var bytes: String
  }

  struct Stored: Codable {
    var elements: [StoredElement]
  }

  /// JSON of the elements, each archived by its kind and base64-encoded.
  public func archive() throws -> [UInt8] {
    let stored = Stored(
      elements: try elements.map {
        StoredElement(
          type: $0.type.description, bytes: Data(try $0.archive()).base64EncodedString())
      })
    return try JSONCoding.encode(stored)
  }

  /// One line per element.
  public func details() -> [OutputItem] {
    [
      .text(
        elements.enumerated().map { "\($0.offset): \($0.element.summary)" }.joined(separator: "\n"))
    ]
  }
}
