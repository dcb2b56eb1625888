import NeuralNet
import Statistics

/// Global pruning with each criterion, and how the resulting per-layer pruning ratios differ
/// between criteria (ALGORITHMS.md §2.3 step 3, §2.4): ℓ1 and ℓ2 rank the filters of one layer
/// almost alike, but under one global threshold ℓ1 concentrates the pruning on layers with a
/// small fan-in much more than ℓ2 does.
///
/// **Procedure, per criterion.** Each layer's scores are rescaled by `normalization`; all
/// filters of all selected layers are sorted by ascending score (ties broken by layer order,
/// then filter index) and removed in that order until `prunedCount` are gone. One threshold
/// therefore applies to every layer, with one exception: **a layer is never removed whole** —
/// when a layer is down to one filter, its remaining filter is skipped (the layer is listed in
/// `protectedLayers`) and the next filter in the global order is removed instead.
///
/// **Counts.** `targetCount = round(ratio · total)` (halves away from zero) filters out of
/// `total`; since every layer keeps at least one filter, at most `total − layers` can go, so
/// `prunedCount = min(targetCount, total − layers)` — the same for every criterion.
///
/// **Distance.** `distances[a][b]` is the mean over layers (unweighted) of
/// `|ratio_a(l) − ratio_b(l)|`, the L1 distance of the two per-layer ratio vectors divided by
/// the number of layers.
///
/// ```swift
/// let g = try GlobalPruningComparison(scores: [l1, l2], ratio: 0.5)
/// g.results[0].ratios   // per-layer ratios under global ℓ1
/// g.distances[0][1]     // how far apart ℓ1 and ℓ2 allocate the pruning
/// ```
public struct GlobalPruningComparison: Codable, Sendable, Equatable {
  /// One criterion's global pruning.
  public struct CriterionResult: Codable, Sendable, Equatable {
    /// The criterion.
    public var criterion: String
    /// Filters removed per layer.
    public internal(set) var prunedPerLayer: [Int]
    /// `prunedPerLayer[l] / filters[l]`.
    public internal(set) var ratios: [Double]
    /// The largest (normalised) score removed, the global threshold; nil when nothing is
    /// removed.
    public internal(set) var threshold: Double?
    /// Layers whose last filter the threshold would have removed (kept by the rule that no
    /// layer is removed whole), in graph order.
    public internal(set) var protectedLayers: [String]
  }

  /// The requested fraction of all filters to remove.
  public internal(set) var ratio: Double
  /// The per-layer rescaling applied before the global ranking.
  public var normalization: GlobalScoreNormalization
  /// The criteria, in order.
  public internal(set) var criteria: [String]
  /// The layers ranked together, in graph order.
  public var layers: [String]
  /// Number of filters per layer.
  public internal(set) var filters: [Int]
  /// `round(ratio · total)`.
  var targetCount: Int
  /// Filters removed by every criterion: `min(targetCount, total − layers.count)`.
  public internal(set) var prunedCount: Int
  /// One result per criterion, in the order of `criteria`.
  public internal(set) var results: [CriterionResult]
  /// `distances[a][b]`: mean absolute difference of the per-layer ratios of criteria a and b.
  public internal(set) var distances: [[Double]]

  /// Prunes globally with every criterion in `scores` and compares the per-layer ratios.
  /// - Parameters:
  ///   - scores: the criteria's scores (distinct names, same layers).
  ///   - ratio: the fraction of all filters of the selected layers to remove, in [0, 1].
  ///   - normalization: per-layer rescaling before the global ranking (default none).
  ///   - network: optional, for `excludePointwise` and a check of the score counts.
  ///   - layers: which convs take part (default all).
  /// - Throws: `AnalysisError` for a ratio outside [0, 1] and the score problems of
  ///   ``CriteriaSimilarity``'s initializer.
  public init(
    scores: [LayerScores], ratio: Double, normalization: GlobalScoreNormalization = .none,
    network: Network? = nil, layers: AnalysisLayerSelection = .all
  ) throws(AnalysisError) {
    try checkRatio(ratio)
    let table = try ScoreTable(scores, selection: layers, network: network)
    let sizes = table.layers.indices.map { table.filters($0) }
    let total = sizes.reduce(0, +)
    let target = Int((ratio * Double(total)).rounded())
    // A layer of 0 filters cannot keep one; it neither counts against the cap nor is pruned.
    let cap = total - sizes.filter { $0 > 0 }.count
    let count = min(target, cap)

    var results: [CriterionResult] = []
    for (q, criterion) in table.criteria.enumerated() {
      var normalized: [[Double]] = []
      for (l, name) in table.layers.enumerated() {
        do throws(StatisticsError) {
          normalized.append(try normalization.apply(table.values[q][l]))
        } catch {
          throw .statistics(layer: name, problem: error.description)
        }
      }
      results.append(
        Self.prune(
          criterion: criterion, scores: normalized, layers: table.layers, count: count))
    }
    let q = results.count
    let distances = (0..<q).map { a in
      (0..<q).map { b in
        zip(results[a].ratios, results[b].ratios).reduce(0) { $0 + abs($1.0 - $1.1) }
          / Double(sizes.count)
      }
    }
    self.ratio = ratio
    self.normalization = normalization
    self.criteria = table.criteria
    self.layers = table.layers
    self.filters = sizes
    self.targetCount = target
    self.prunedCount = count
    self.results = results
    self.distances = distances
  }

  /// Removes `count` filters in ascending score order, never the last filter of a layer.
  private static func prune(
    criterion: String, scores: [[Double]], layers: [String], count: Int
  ) -> CriterionResult {
    var order: [(value: Double, layer: Int, index: Int)] = []
    for (l, layerScores) in scores.enumerated() {
      for (i, v) in layerScores.enumerated() { order.append((v, l, i)) }
    }
    order.sort {
      ($0.value, $0.layer, $0.index) < ($1.value, $1.layer, $1.index)
    }
    var remaining = scores.map(\.count)
    var pruned = [Int](repeating: 0, count: scores.count)
    var protected = [Bool](repeating: false, count: scores.count)
    var removed = 0
    var threshold: Double? = nil
    for entry in order where removed < count {
      if remaining[entry.layer] <= 1 {
        protected[entry.layer] = true
        continue
      }
      remaining[entry.layer] -= 1
      pruned[entry.layer] += 1
      removed += 1
      threshold = entry.value
    }
    return CriterionResult(
      criterion: criterion, prunedPerLayer: pruned,
      ratios: zip(pruned, scores).map { $1.isEmpty ? 0 : Double($0) / Double($1.count) },
      threshold: threshold,
      protectedLayers: layers.indices.filter { protected[$0] }.map { layers[$0] })
  }
}
