import CommandLanguage
import Pruning

/// A pruning criterion, by its registry name (`fpgm`, `taylor`, …), or a blend of several found
/// by `blend`.
///
/// Archive: JSON `{"name": …}`; restoring looks the name up in
/// ``CriterionRegistry/standard``. A blend archives `{"name": …, "blend": …}` with its α table
/// and the full search (``BlendRecord``) and restores without a registry lookup. Figures:
/// `name`, `needs` (`weights`, `data` or `gradients`), and for a blend the figures of
/// ``BlendRecord`` (best fitness, cache hits, every α).
public struct CriterionValue: Value {
  /// The engine's criterion.
  public var criterion: any Criterion
  /// The search that made a blended criterion; nil for registry criteria.
  public var blend: BlendRecord?

  /// A blended criterion with its search.
  public init(blend: BlendRecord) {
    self.criterion = blend.criterion
    self.blend = blend
  }

  /// Wraps a criterion.
  public init(_ criterion: any Criterion) {
    self.criterion = criterion
  }

  /// The registry's criterion called `name`.
  public init(named name: String) throws {
    self.criterion = try CriterionRegistry.standard.criterion(named: name)
  }

  public var type: ValueType { .criterion }

  /// The name: `fpgm` (a blend: what it blends and how fit it is).
  public var summary: String { blend?.summary ?? criterion.name }

  /// The name, its one-line doc and what it reads (a blend: the α table and fitness chart).
  public func details() -> [OutputItem] {
    if let blend { return blend.details }
    return [.text("\(criterion.name): \(criterion.summary) (reads \(criterion.needs.rawValue))")]
  }

  public var figures: Figures {
    var f = Figures([("name", .text(criterion.name)), ("needs", .text(criterion.needs.rawValue))])
    for (name, figure) in blend?.figures ?? [] { f.append(name, figure) }
    return f
  }

  private struct Stored: Codable {
    var name: String
    var blend: BlendRecord?
  }

  /// JSON of the name (and of the blend).
  public func archive() throws -> [UInt8] {
    try JSONCoding.encode(Stored(name: criterion.name, blend: blend))
  }

  /// Restores a registry criterion from its JSON.
  public static func unarchive(_ bytes: [UInt8]) throws -> CriterionValue {
    let stored = try JSONCoding.decode(Stored.self, from: bytes, what: "Criterion")
    if let blend = stored.blend { return CriterionValue(blend: blend) }
    do {
      return try CriterionValue(named: stored.name)
    } catch {
      throw RuntimeError.unarchive(type: "Criterion", problem: "\(error)")
    }
  }
}
