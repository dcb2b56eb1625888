/// The type of a value in the command language: an open set of named types plus lists.
///
/// Modules add their own types as static members in an extension:
/// ```swift
/// extension ValueType { public static let groups = ValueType("Groups") }
/// ```
/// Two types are equal when their names and element types are equal.
public struct ValueType: Hashable, Sendable, CustomStringConvertible {
  /// The type name, e.g. `Model`, or `List` for a list type.
  public let name: String
  // An array gives the recursion the indirection a struct needs; it holds at most one element.
  private let elements: [ValueType]

  /// A named type without an element type.
  public init(_ name: String) {
    self.name = name
    self.elements = []
  }

  private init(listOf element: ValueType) {
    self.name = "List"
    self.elements = [element]
  }

  /// The element type of a list type; nil for other types.
  public var element: ValueType? { elements.first }

  /// Whether this is a list type.
  public var isList: Bool { !elements.isEmpty }

  /// A list whose elements have type `element`.
  public static func list(of element: ValueType) -> ValueType { ValueType(listOf: element) }

  /// Training and test splits of a data set.
  public static let dataset = ValueType("Dataset")
  /// A network with its weights.
  public static let model = ValueType("Model")
  /// Accuracy, loss and similar figures.
  public static let metrics = ValueType("Metrics")
  /// Per-layer, per-filter importance scores.
  public static let scores = ValueType("Scores")
  /// Per-layer rank similarity between criteria.
  public static let similarity = ValueType("Similarity")
  /// Clusters of criteria.
  public static let clusters = ValueType("Clusters")
  /// A pruning criterion.
  public static let criterion = ValueType("Criterion")
  /// Which channels go, per layer.
  public static let plan = ValueType("Plan")
  /// A number (percentages are numbers).
  public static let number = ValueType("Number")
  /// A piece of text.
  public static let text = ValueType("Text")
  /// `true` or `false`.
  public static let bool = ValueType("Bool")
  /// The result type of a command that returns no value.
  public static let nothing = ValueType("Nothing")
  /// A parameter of this type accepts a value of any type.
  public static let any = ValueType("Any")

  /// `Model`, or `List of Criterion` for lists.
  public var description: String {
    guard let element else { return name }
    return "List of \(element)"
  }

  /// The type with an indefinite article, for messages: `a Model`, `an Any`.
  public var withArticle: String {
    let first = description.first.map { "AEIOUaeiou".contains($0) } ?? false
    return (first ? "an " : "a ") + description
  }

  /// Whether a value of type `other` may be passed where `self` is expected.
  ///
  /// Equal types match; `Any` accepts everything; a list type accepts a list whose element type
  /// it accepts, and the empty list (`List of Nothing`).
  public func accepts(_ other: ValueType) -> Bool {
    if self == other || self == .any { return true }
    guard let element, let otherElement = other.element else { return false }
    return otherElement == .nothing || element.accepts(otherElement)
  }
}
