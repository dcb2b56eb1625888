import CommandLanguage
import Pruning
import Render

/// The scores one criterion gave a model's filters: per conv layer, one score per output
/// channel, larger = keep.
///
/// Archive: the engine's ``LayerScores`` as JSON with sorted keys (scores as shortest
/// round-trip decimals, so they restore bit for bit). Figures: `criterion`, `layers`,
/// `filters` (in all), `mean` (of every score), and for each layer `lowest.<layer>`: the
/// indices of the (at most 3) lowest-scored filters, lowest first — the ones pruning would
/// take first.
public struct ScoresValue: Value {
  /// The engine's scores.
  public var scores: LayerScores
  /// The model's name.
  public var model: String

  /// Wraps scores of `model`.
  public init(scores: LayerScores, model: String) {
    self.scores = scores
    self.model = model
  }

  public var type: ValueType { .scores }

  /// The filters in all layers.
  var filterCount: Int { scores.layers.reduce(0) { $0 + (scores[$1]?.count ?? 0) } }

  public var summary: String {
    "\(scores.criterion) scores of \(model): \(scores.layers.count) layers, "
      + "\(NumberFormat.grouped(filterCount)) filters"
  }

  /// Filter indices of `values` from lowest to highest score (ties by index).
  static func ascendingOrder(_ values: [Double]) -> [Int] {
    values.indices.sorted { a, b in
      values[a] < values[b] || (values[a] == values[b] && a < b)
    }
  }

  public var figures: Figures {
    var figures = Figures([
      ("criterion", .text(scores.criterion)),
      ("layers", .count(scores.layers.count)),
      ("filters", .count(filterCount)),
    ])
    let all = scores.layers.flatMap { scores[$0] ?? [] }
    figures.append("mean", .float(all.isEmpty ? .nan : all.reduce(0, +) / Double(all.count)))
    for layer in scores.layers {
      let order = Self.ascendingOrder(scores[layer] ?? [])
      figures.append("lowest.\(layer)", .indices(Array(order.prefix(3))))
    }
    return figures
  }

  private struct Stored: Codable {
    var scores: LayerScores
    var model: String
  }

  /// JSON of the scores and the model name.
  public func archive() throws -> [UInt8] {
    try JSONCoding.encode(Stored(scores: scores, model: model))
  }

  /// Restores scores from their JSON.
  public static func unarchive(_ bytes: [UInt8]) throws -> ScoresValue {
    let stored = try JSONCoding.decode(Stored.self, from: bytes, what: "Scores")
    return ScoresValue(scores: stored.scores, model: stored.model)
  }

  /// Per layer: filters, min, median, max, and the lowest-scored filters.
  public func details() -> [OutputItem] {
    var table = Table(
      title: summary,
      columns: [
        .text("layer"), .numeric("filters"), .numeric("min"), .numeric("median"),
        .numeric("max"), .text("lowest"),
      ])
    for layer in scores.layers {
      let values = scores[layer] ?? []
      let sorted = values.sorted()
      let order = Self.ascendingOrder(values)
      table.addRow([
        layer, String(values.count), NumberFormat.short(sorted.first ?? .nan),
        NumberFormat.short(sorted.isEmpty ? .nan : sorted[sorted.count / 2]),
        NumberFormat.short(sorted.last ?? .nan),
        order.prefix(3).map(String.init).joined(separator: ", "),
      ])
    }
    return [.table(table)]
  }
}
