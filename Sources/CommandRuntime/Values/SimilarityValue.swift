import CommandLanguage
import Pruning
import Render

/// How alike several criteria rank a model's filters: per conv layer a Spearman and a Kendall
/// τ-b matrix, and their means over layers (``Pruning/CriteriaSimilarity``), with the pruned-set
/// overlap at a ratio when one was asked for.
///
/// Archive: JSON of the analysis. Figures: `criteria`, `layers`, and `spearman.<a>.<b>` /
/// `kendall.<a>.<b>` — the mean coefficients of every pair (a < b in the given order).
public struct SimilarityValue: Value {
  /// The analysis.
  public internal(set) var similarity: CriteriaSimilarity
  /// The overlap at a ratio, if computed.
  public internal(set) var overlap: PruningOverlap?
  /// The model's name.
  public var model: String
  /// The model's channel groups and fingerprint, for `cluster` (nil in older archives).
  public var layout: GroupLayout?
  /// What each criterion reads, for the medoid's tie-break (nil in older archives).
  public var needs: [CriterionNeeds]?

  /// Wraps an analysis of `model`.
  public init(
    similarity: CriteriaSimilarity, overlap: PruningOverlap?, model: String,
    layout: GroupLayout? = nil, needs: [CriterionNeeds]? = nil
  ) {
    self.similarity = similarity
    self.overlap = overlap
    self.model = model
    self.layout = layout
    self.needs = needs
  }

  public var type: ValueType { .similarity }

  public var summary: String {
    "similarity of \(similarity.criteria.joined(separator: ", ")) on \(model): "
      + "\(similarity.layers.count) layers"
  }

  public var figures: Figures {
    var f = Figures([
      ("criteria", .text(similarity.criteria.joined(separator: ","))),
      ("layers", .count(similarity.layers.count)),
    ])
    let c = similarity.criteria
    for a in c.indices {
      for b in c.indices where b > a {
        f.append("spearman.\(c[a]).\(c[b])", .float(similarity.meanSpearman[a][b] ?? .nan))
        f.append("kendall.\(c[a]).\(c[b])", .float(similarity.meanKendall[a][b] ?? .nan))
      }
    }
    if let overlap, let j = overlap.meanJaccard {
      for a in c.indices {
        for b in c.indices where b > a { f.append("jaccard.\(c[a]).\(c[b])", .float(j[a][b])) }
      }
    }
    return f
  }

  private struct Stored: Codable {
    var similarity: CriteriaSimilarity
    var overlap: PruningOverlap?
    var model: String
    var layout: GroupLayout?
    var needs: [CriterionNeeds]?
  }

  public func archive() throws -> [UInt8] {
    try JSONCoding.encode(
      Stored(
        similarity: similarity, overlap: overlap, model: model, layout: layout, needs: needs))
  }

  /// Restores the analysis from its JSON.
  public static func unarchive(_ bytes: [UInt8]) throws -> SimilarityValue {
    let s = try JSONCoding.decode(Stored.self, from: bytes, what: "Similarity")
    return SimilarityValue(
      similarity: s.similarity, overlap: s.overlap, model: s.model, layout: s.layout,
      needs: s.needs)
  }

  /// The averaged Spearman heat map, the Kendall one, and the overlap heat map.
  public func details() -> [OutputItem] {
    var items: [OutputItem] = [.text(summary)]
    let c = similarity.criteria
    if let map = try? HeatMap(
      title: "mean Spearman ρ over \(similarity.layers.count) layers", labels: c,
      values: CriteriaSimilarity.nanFilled(similarity.meanSpearman))
    {
      items.append(.picture(.heatMap(map)))
    }
    if let map = try? HeatMap(
      title: "mean Kendall τ-b", labels: c,
      values: CriteriaSimilarity.nanFilled(similarity.meanKendall))
    {
      items.append(.picture(.heatMap(map)))
    }
    if let overlap, let j = overlap.meanJaccard,
      let map = try? HeatMap(
        title:
          "Jaccard overlap of pruned filters at \(NumberFormat.percent(overlap.ratio, decimals: 0))",
        labels: c, values: j, scale: .sequential())
    {
      items.append(.picture(.heatMap(map)))
    }
    return items
  }
}
