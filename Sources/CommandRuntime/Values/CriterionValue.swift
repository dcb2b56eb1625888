import CommandLanguage
import Pruning

/// A pruning criterion, by its registry name (`fpgm`, `taylor`, …).
///
/// Archive: JSON `{"name": …}`; restoring looks the name up in
/// ``CriterionRegistry/standard``. Figures: `name`, `needs` (`weights`, `data` or
/// `gradients`). Criteria that are not in the registry (e.g. a blend) need their own archive
/// format when they are added.
public struct CriterionValue: Value {
  /// The engine's criterion.
  public var criterion: any Criterion

  /// Wraps a criterion.
  public init(_ criterion: any Criterion) {
    self.criterion = criterion
  }

  /// The registry's criterion called `name`.
  public init(named name: String) throws {
    self.criterion = try CriterionRegistry.standard.criterion(named: name)
  }

  public var type: ValueType { .criterion }

  /// The name: `fpgm`.
  public var summary: String { criterion.name }

  /// The name, its one-line doc and what it reads.
  public func details() -> [OutputItem] {
    [.text("\(criterion.name): \(criterion.summary) (reads \(criterion.needs.rawValue))")]
  }

  public var figures: Figures {
    Figures([("name", .text(criterion.name)), ("needs", .text(criterion.needs.rawValue))])
  }

  private struct Stored: Codable {
    var name: String
  }

  /// JSON of the name.
  public func archive() throws -> [UInt8] {
    try JSONCoding.encode(Stored(name: criterion.name))
  }

  /// Restores a registry criterion from its JSON.
  public static func unarchive(_ bytes: [UInt8]) throws -> CriterionValue {
    let stored = try JSONCoding.decode(Stored.self, from: bytes, what: "Criterion")
    do {
      return try CriterionValue(named: stored.name)
    } catch {
      throw RuntimeError.unarchive(type: "Criterion", problem: "\(error)")
    }
  }
}
