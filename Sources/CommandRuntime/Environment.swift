import CommandLanguage

/// A bound variable: its value, the value's content hash (computed once, when bound), and the
/// cell that bound it.
public struct Binding: Sendable {
  /// The variable name.
  public var name: String
  /// The value.
  public var value: any Value
  /// ``Value/contentHash()`` of the value.
  public var hash: String
  /// The number of the cell that bound it (0 for values restored from outside a cell).
  public var cell: Int

  /// Creates a binding.
  public init(name: String, value: any Value, hash: String, cell: Int) {
    self.name = name
    self.value = value
    self.hash = hash
    self.cell = cell
  }
}

/// The variables of a session: name → binding, listed in the order they were first bound.
public struct Environment: Sendable {
  private var table: [String: Binding] = [:]
  private var order: [String] = []

  /// No variables.
  public init() {}

  /// The binding of `name`.
  public subscript(name: String) -> Binding? { table[name] }

  /// The names in the order they were first bound.
  public var names: [String] { order }

  /// The bindings in the order they were first bound.
  public var bindings: [Binding] { order.compactMap { table[$0] } }

  /// The content hash of every bound value, by name.
  public var hashes: [String: String] { table.mapValues(\.hash) }

  /// Binds (or rebinds) a variable.
  public mutating func bind(_ binding: Binding) {
    if table[binding.name] == nil { order.append(binding.name) }
    table[binding.name] = binding
  }

  /// Removes a variable; returns whether it was bound.
  @discardableResult
  public mutating func remove(_ name: String) -> Bool {
    guard table.removeValue(forKey: name) != nil else { return false }
    order.removeAll { $0 == name }
    return true
  }
}
