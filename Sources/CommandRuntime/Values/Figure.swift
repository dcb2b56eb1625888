import DurableIO

/// One typed summary figure of a value, as a session records it and a replay compares it.
///
/// Counts, shapes, index lists, texts and hashes are compared exactly; floats within a
/// tolerance (see ``matches(_:tolerance:)``). In JSON a figure is an object with one key, its
/// kind: `{"count": 10000}`, `{"float": 0.912}` (`"nan"`, `"inf"` or `"-inf"` for non-finite
/// values), `{"text": "fpgm"}`, `{"indices": [3, 7]}`, `{"shape": [32, 64]}`,
/// `{"hash": "9ae1c2…"}`.
public enum Figure: Hashable, Sendable, Codable, CustomStringConvertible {
  /// A whole number: images, parameters, layers.
  case count(Int)
  /// A measured number: accuracy, loss, a mean score.
  case float(Double)
  /// A name or a label.
  case text(String)
  /// Positions, e.g. the filters a criterion ranks lowest.
  case indices([Int])
  /// Sizes, e.g. an image shape or the channels of every conv layer.
  case shape([Int])
  /// A content hash (``ContentHash``).
  case hash(String)

  /// The kind as written in JSON: `count`, `float`, `text`, `indices`, `shape` or `hash`.
  public var kind: String {
    switch self {
    case .count: return "count"
    case .float: return "float"
    case .text: return "text"
    case .indices: return "indices"
    case .shape: return "shape"
    case .hash: return "hash"
    }
  }

  /// Whether `other` is the same figure: equal kinds and, for floats, values within
  /// `tolerance` of each other (absolute, or relative to the larger magnitude when that is
  /// above 1); two NaNs match. Every other kind must be equal.
  public func matches(_ other: Figure, tolerance: Double = 0) -> Bool {
    if case .float(let a) = self, case .float(let b) = other {
      if a.isNaN || b.isNaN { return a.isNaN && b.isNaN }
      if a == b { return true }
      let scale = max(1, abs(a), abs(b))
      return abs(a - b) <= tolerance * scale
    }
    return self == other
  }

  /// The value as a user reads it: `10000`, `0.912`, `fpgm`, `[3, 7]`, `32×64`, `#9ae1…`.
  public var description: String {
    switch self {
    case .count(let n): return String(n)
    case .float(let x): return Figure.format(x)
    case .text(let t): return t
    case .indices(let i): return "[" + i.map(String.init).joined(separator: ", ") + "]"
    case .shape(let s): return s.map(String.init).joined(separator: "×")
    case .hash(let h): return "#" + h
    }
  }

  /// A float with up to 6 significant digits.
  static func format(_ value: Double) -> String {
    guard value.isFinite else { return value.isNaN ? "nan" : (value > 0 ? "inf" : "-inf") }
    if value == value.rounded() && abs(value) < 1e12 { return String(Int(value)) }
    var text = String(format: "%.6g", value)
    if text.contains("e") { return text }
    while text.contains(".") && (text.hasSuffix("0") || text.hasSuffix(".")) {
      text.removeLast()
    }
    return text
  }

  private enum Key: String, CodingKey {
    case count, float, text, indices, shape, hash
  }

  /// Decodes the one-key object form.
  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: Key.self)
    guard let key = container.allKeys.first, container.allKeys.count == 1 else {
      throw DecodingError.dataCorrupted(
        .init(
          codingPath: decoder.codingPath,
          debugDescription: "a figure is an object with exactly one of the keys count, float, "
            + "text, indices, shape, hash"))
    }
    switch key {
    case .count: self = .count(try container.decode(Int.self, forKey: key))
    case .float:
      if let value = try? container.decode(Double.self, forKey: key) {
        self = .float(value)
      } else {
        let text = try container.decode(String.self, forKey: key)
        switch text {
        case "nan": self = .float(.nan)
        case "inf": self = .float(.infinity)
        case "-inf": self = .float(-.infinity)
        default:
          throw DecodingError.dataCorruptedError(
            forKey: key, in: container,
            debugDescription:
              "a float figure is a number, \"nan\", \"inf\" or \"-inf\"; got \(text)"
          )
        }
      }
    case .text: self = .text(try container.decode(String.self, forKey: key))
    case .indices: self = .indices(try container.decode([Int].self, forKey: key))
    case .shape: self = .shape(try container.decode([Int].self, forKey: key))
    case .hash: self = .hash(try container.decode(String.self, forKey: key))
    }
  }

  /// Encodes the one-key object form.
  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: Key.self)
    switch self {
    case .count(let n): try container.encode(n, forKey: .count)
    case .float(let x):
      if x.isFinite {
        try container.encode(x, forKey: .float)
      } else {
        try container.encode(x.isNaN ? "nan" : (x > 0 ? "inf" : "-inf"), forKey: .float)
      }
    case .text(let t): try container.encode(t, forKey: .text)
    case .indices(let i): try container.encode(i, forKey: .indices)
    case .shape(let s): try container.encode(s, forKey: .shape)
    case .hash(let h): try container.encode(h, forKey: .hash)
    }
  }
}

/// An ordered set of named figures: what a value (or a cell) reports for replay to check.
///
/// Names are unique; appending a name again replaces the earlier figure in place. In JSON it is
/// an array of objects, each with `name` and one kind key:
/// `[{"name": "accuracy", "float": 0.912}, {"name": "test.count", "count": 10000}]`.
/// ```swift
/// var figures = Figures()
/// figures.append("accuracy", .float(0.912))
/// figures["accuracy"]  // .float(0.912)
/// ```
public struct Figures: Hashable, Sendable, Codable, Sequence {
  /// One named figure.
  public struct Entry: Hashable, Sendable, Codable {
    /// The figure's name, e.g. `accuracy` or `lowest.features.0.conv`.
    public var name: String
    /// The figure.
    public var value: Figure

    /// Creates an entry.
    public init(name: String, value: Figure) {
      self.name = name
      self.value = value
    }

    private enum Key: String, CodingKey { case name }

    /// Decodes `{"name": …, "<kind>": …}`.
    public init(from decoder: any Decoder) throws {
      name = try decoder.container(keyedBy: Key.self).decode(String.self, forKey: .name)
      // Figure's own keys leave out `name`, so it decodes from the same object.
      value = try Figure(from: decoder)
    }

    /// Encodes `{"name": …, "<kind>": …}`.
    public func encode(to encoder: any Encoder) throws {
      var container = encoder.container(keyedBy: Key.self)
      try container.encode(name, forKey: .name)
      try value.encode(to: encoder)
    }
  }

  /// The figures in order.
  public private(set) var entries: [Entry]

  /// No figures.
  public init() { entries = [] }

  /// Figures from name–figure pairs, in order.
  public init(_ pairs: [(String, Figure)]) {
    entries = []
    for (name, value) in pairs { append(name, value) }
  }

  /// Appends `value` under `name`, replacing an earlier figure of that name in place.
  public mutating func append(_ name: String, _ value: Figure) {
    if let index = entries.firstIndex(where: { $0.name == name }) {
      entries[index].value = value
    } else {
      entries.append(Entry(name: name, value: value))
    }
  }

  /// Appends every figure of `other`, each name prefixed with `prefix`.
  public mutating func append(contentsOf other: Figures, prefix: String = "") {
    for entry in other.entries { append(prefix + entry.name, entry.value) }
  }

  /// The figure called `name`.
  public subscript(name: String) -> Figure? {
    entries.first { $0.name == name }?.value
  }

  /// The names in order.
  public var names: [String] { entries.map(\.name) }

  /// The number of figures.
  public var count: Int { entries.count }

  /// Whether there are none.
  public var isEmpty: Bool { entries.isEmpty }

  /// Iterates the entries in order.
  public func makeIterator() -> IndexingIterator<[Entry]> { entries.makeIterator() }

  /// Decodes the JSON array form.
  public init(from decoder: any Decoder) throws {
    let list = try [Entry](from: decoder)
    self.init(list.map { ($0.name, $0.value) })
  }

  /// Encodes the JSON array form.
  public func encode(to encoder: any Encoder) throws {
    try entries.encode(to: encoder)
  }
}
