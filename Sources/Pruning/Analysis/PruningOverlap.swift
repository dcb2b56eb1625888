import NeuralNet
import Statistics

/// How much the filters that several criteria would prune agree, layer by layer, at one
/// pruning ratio (ALGORITHMS.md §2.3 step 2): high rank correlation does not guarantee the same
/// choice near the threshold.
///
/// In every layer each criterion prunes its `round(ratio·N)` lowest-scored filters
/// (`PrunedSetOverlap.prunedIndices`: ties broken by the lower index). Since all criteria prune
/// the same number `m` of filters, `jaccard = |A∩B| / |A∪B|` and `shared = |A∩B| / m` carry the
/// same information on different scales (`jaccard = shared / (2 − shared)`).
///
/// **Average over layers.** `meanJaccard` and `meanShared` are arithmetic means over the layers
/// where at least one filter is pruned (`layersInMean` of them); a layer where nothing is
/// pruned has two empty sets, Jaccard 1 by convention, and would only inflate the mean. They
/// are `nil` when no layer prunes anything.
///
/// ```swift
/// let o = try PruningOverlap(scores: all, ratio: 0.5)
/// o.layers[0].pruned[0]    // filters criterion 0 prunes in the first layer
/// o.meanJaccard?[0][1]     // mean Jaccard index of criteria 0 and 1
/// ```
public struct PruningOverlap: Codable, Sendable, Equatable {
  /// One layer's pruned sets and their agreement.
  public struct Layer: Codable, Sendable, Equatable {
    /// The conv node.
    public var name: String
    /// Number of filters.
    public internal(set) var filters: Int
    /// Number of filters each criterion prunes, `round(ratio·filters)`.
    public internal(set) var prunedCount: Int
    /// `pruned[q]`: the indices criterion `q` prunes, ascending.
    public internal(set) var pruned: [[Int]]
    /// `jaccard[a][b] = |A∩B| / |A∪B|` (1 when both are empty).
    public internal(set) var jaccard: [[Double]]
    /// `shared[a][b] = |A∩B| / |A|`, the fraction of `a`'s pruned filters `b` prunes too (1 when
    /// nothing is pruned).
    public internal(set) var shared: [[Double]]
  }

  /// The pruning ratio per layer.
  public internal(set) var ratio: Double
  /// The criteria, in the order of the matrices' rows and columns.
  public internal(set) var criteria: [String]
  /// The layers analysed, in graph order.
  public var layers: [Layer]
  /// Mean Jaccard index over the layers that prune at least one filter; nil when none does.
  public internal(set) var meanJaccard: [[Double]]?
  /// Mean shared fraction over the same layers; nil when none prunes.
  var meanShared: [[Double]]?
  /// Number of layers in the means.
  var layersInMean: Int

  /// Pruned sets of every criterion in `scores` at `ratio`, per selected layer.
  /// - Throws: `AnalysisError` for a ratio outside [0, 1] and as ``CriteriaSimilarity``'s
  ///   initializer for the scores.
  public init(
    scores: [LayerScores], ratio: Double, network: Network? = nil,
    layers: AnalysisLayerSelection = .all
  ) throws(AnalysisError) {
    try checkRatio(ratio)
    let table = try ScoreTable(scores, selection: layers, network: network)
    let q = table.criteria.count
    var perLayer: [Layer] = []
    for (l, name) in table.layers.enumerated() {
      var sets: [[Int]] = []
      for c in 0..<q {
        do throws(StatisticsError) {
          sets.append(try PrunedSetOverlap.prunedIndices(scores: table.values[c][l], ratio: ratio))
        } catch {
          throw .statistics(layer: name, problem: error.description)
        }
      }
      let jaccard = (0..<q).map { a in (0..<q).map { PrunedSetOverlap.jaccard(sets[a], sets[$0]) } }
      let shared = (0..<q).map { a in (0..<q).map { PrunedSetOverlap.overlap(sets[a], sets[$0]) } }
      perLayer.append(
        Layer(
          name: name, filters: table.filters(l), prunedCount: sets[0].count, pruned: sets,
          jaccard: jaccard, shared: shared))
    }
    let counted = perLayer.filter { $0.prunedCount > 0 }
    self.ratio = ratio
    self.criteria = table.criteria
    self.layers = perLayer
    self.layersInMean = counted.count
    self.meanJaccard = Self.mean(counted.map(\.jaccard), size: q)
    self.meanShared = Self.mean(counted.map(\.shared), size: q)
  }

  private static func mean(_ matrices: [[[Double]]], size q: Int) -> [[Double]]? {
    guard !matrices.isEmpty else { return nil }
    return (0..<q).map { a in
      (0..<q).map { b in matrices.reduce(0) { $0 + $1[a][b] } / Double(matrices.count) }
    }
  }
}
