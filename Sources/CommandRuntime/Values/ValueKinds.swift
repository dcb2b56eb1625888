import CommandLanguage
import Foundation

/// How to restore each kind of value from its archive: the decoders by type name.
///
/// ```swift
/// let bytes = try value.archive()
/// let restored = try ValueKinds.standard.unarchive(type: value.type, bytes: bytes, loader: loader)
/// ```
///
/// Adding a kind: append a ``Kind`` with its type name and decoder to ``standard``.
public struct ValueKinds: Sendable {
  /// One kind: the type name it restores and its decoder.
  public struct Kind: Sendable {
    /// The ``ValueType`` name, e.g. `Model`.
    public var name: String
    /// Restores a value from archive bytes.
    public internal(set) var decode: @Sendable ([UInt8], DatasetLoader) throws -> any Value

    /// Creates a kind.
    public init(
      name: String, decode: @escaping @Sendable ([UInt8], DatasetLoader) throws -> any Value
    ) {
      self.name = name
      self.decode = decode
    }
  }

  /// The kinds by type name.
  public private(set) var kinds: [String: Kind]

  /// A table of kinds (a later duplicate name wins).
  public init(_ kinds: [Kind]) {
    self.kinds = Dictionary(kinds.map { ($0.name, $0) }, uniquingKeysWith: { $1 })
  }

  /// Every kind CommandRuntime defines.
  public static let standard = ValueKinds([
    Kind(name: "Dataset") { try DatasetValue.unarchive($0, loader: $1) },
    Kind(name: "Model") { bytes, _ in try ModelValue.unarchive(bytes) },
    Kind(name: "Metrics") { bytes, _ in try MetricsValue.unarchive(bytes) },
    Kind(name: "Scores") { bytes, _ in try ScoresValue.unarchive(bytes) },
    Kind(name: "Criterion") { bytes, _ in try CriterionValue.unarchive(bytes) },
    Kind(name: "Number") { bytes, _ in try NumberValue.unarchive(bytes) },
    Kind(name: "Text") { bytes, _ in TextValue.unarchive(bytes) },
    Kind(name: "Bool") { bytes, _ in try BoolValue.unarchive(bytes) },
    Kind(name: "Similarity") { bytes, _ in try SimilarityValue.unarchive(bytes) },
    Kind(name: "Clusters") { bytes, _ in try ClustersValue.unarchive(bytes) },
    Kind(name: "Plan") { bytes, _ in try PlanValue.unarchive(bytes) },
    Kind(name: "Groups") { bytes, _ in try GroupsValue.unarchive(bytes) },
    Kind(name: "CWDA") { bytes, _ in try CWDAValue.unarchive(bytes) },
    Kind(name: "Comparison") { bytes, _ in try ComparisonValue.unarchive(bytes) },
    Kind(name: "Sensitivity") { bytes, _ in try SensitivityValue.unarchive(bytes) },
    Kind(name: "Latency") { bytes, _ in try LatencyValue.unarchive(bytes) },
  ])

  /// The type written as `Model` or `List of Criterion`, parsed back.
  public static func type(named name: String) -> ValueType {
    var depth = 0
    var base = Substring(name)
    while base.hasPrefix("List of "), depth < InputLimits.maximumNesting {
      base = base.dropFirst("List of ".count)
      depth += 1
    }
    var type = ValueType(String(base))
    for _ in 0..<depth { type = .list(of: type) }
    return type
  }

  /// The type named `name` when a value of it can be bound and restored: a kind in this
  /// table, a ``SymbolValue`` type (`Layer`, `Text`), or a list of one, nested no deeper than
  /// the language allows; nil for anything else (`Nope`, an empty name).
  public func boundType(named name: String) -> ValueType? {
    let type = Self.type(named: name)
    guard type.description == name else { return nil }
    var base = type
    while let element = base.element { base = element }
    let symbolTypes: Set<String> = [ValueType.layer.name, ValueType.text.name]
    guard kinds[base.name] != nil || symbolTypes.contains(base.name) else { return nil }
    return type
  }

  /// Restores a value of `type` from `bytes` (what its ``Value/archive()`` returned). Lists
  /// restore element by element; a type without a decoder restores as a ``SymbolValue``
  /// (a word of that type).
  public func unarchive(type: ValueType, bytes: [UInt8], loader: DatasetLoader) throws
    -> any Value
  {
    if type.isList {
      let stored = try JSONCoding.decode(ListValue.Stored.self, from: bytes, what: type.description)
      return try list(stored.elements, type: type, loader: loader, depth: 1)
    }
    if let kind = kinds[type.name] {
      return try kind.decode(bytes, loader)
    }
    return SymbolValue(String(decoding: bytes, as: UTF8.self), type: type)
  }

  /// A list from its stored elements; nesting deeper than the language allows is refused.
  private func list(
    _ stored: [ListValue.StoredElement], type: ValueType, loader: DatasetLoader, depth: Int
  ) throws -> ListValue {
    guard depth <= InputLimits.maximumNesting else {
      throw RuntimeError.unarchive(
        type: type.description,
        problem: "lists nest more than \(InputLimits.maximumNesting) deep")
    }
    let elements = try stored.map { element -> any Value in
      let elementType = Self.type(named: element.type)
      if let nested = element.elements {
        guard elementType.isList else {
          throw RuntimeError.unarchive(
            type: type.description, problem: "an element of type \(element.type) holds a list")
        }
        return try list(nested, type: elementType, loader: loader, depth: depth + 1)
      }
      guard let text = element.bytes, let data = Data(base64Encoded: text) else {
        throw RuntimeError.unarchive(type: type.description, problem: "an element is not base64")
      }
      return try unarchive(type: elementType, bytes: Array(data), loader: loader)
    }
    return ListValue(elements, type: type)
  }
}
