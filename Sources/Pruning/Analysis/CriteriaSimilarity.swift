import NeuralNet
import Statistics

/// How alike several criteria rank the filters of each conv layer (ALGORITHMS.md §2.3): per
/// layer a Q×Q matrix of Spearman's ρ and one of Kendall's τ-b (ties handled), and their
/// averages over layers.
///
/// **Undefined coefficients.** A correlation with a constant score vector (all filters scored
/// the same, e.g. a dead layer) or with a layer of fewer than 2 filters is undefined; its cell
/// is `nil` (JSON `null`; `.nan` in ``nanFilled(_:)``). Spearman and Kendall are undefined in
/// exactly these cases.
///
/// **Average over layers.** `meanSpearman[a][b]` is the arithmetic mean of the defined
/// per-layer coefficients `ρ_l(a, b)` (no Fisher z-transform, no weighting by layer size: the
/// "mean over layers" of the paper), and `spearmanLayerCounts[a][b]` says how many layers
/// contributed; the mean is `nil` when no layer did. The same for Kendall.
///
/// ```swift
/// let all = try CriterionRegistry.standard.score(["l1", "l2", "fpgm"], input: input)
/// let sim = try CriteriaSimilarity(scores: all)
/// sim.meanSpearman[0][1]       // ρ(l1, l2) averaged over the convs
/// sim.layers[2].kendall[0][2]  // τ-b(l1, fpgm) in the third selected conv
/// ```
public struct CriteriaSimilarity: Codable, Sendable, Equatable {
  /// One layer's coefficients.
  public struct Layer: Codable, Sendable, Equatable {
    /// The conv node.
    public var name: String
    /// Number of filters (scores per criterion).
    public internal(set) var filters: Int
    /// `spearman[a][b]`: Spearman's ρ between criteria `a` and `b`; symmetric, `nil` undefined.
    public internal(set) var spearman: [[Double?]]
    /// `kendall[a][b]`: Kendall's τ-b between criteria `a` and `b`; symmetric, `nil` undefined.
    public internal(set) var kendall: [[Double?]]
  }

  /// The criteria, in the order of the matrices' rows and columns.
  public internal(set) var criteria: [String]
  /// The layers analysed, in graph order.
  public var layers: [Layer]
  /// Mean over layers of the defined Spearman coefficients, per pair.
  public internal(set) var meanSpearman: [[Double?]]
  /// Mean over layers of the defined Kendall τ-b coefficients, per pair.
  public internal(set) var meanKendall: [[Double?]]
  /// Per pair, the number of layers whose Spearman coefficient entered the mean.
  public internal(set) var spearmanLayerCounts: [[Int]]
  /// Per pair, the number of layers whose Kendall coefficient entered the mean.
  public internal(set) var kendallLayerCounts: [[Int]]

  /// The layer names, in order.
  var layerNames: [String] { layers.map(\.name) }

  /// Compares the criteria in `scores` (one ``LayerScores`` per criterion, all scored on the
  /// same network) on the layers chosen by `layers` from the first set's list.
  ///
  /// - Parameters:
  ///   - scores: the criteria's scores; names must be distinct.
  ///   - network: the network scored; needed only for `excludePointwise`, and when given the
  ///     score counts are checked against the convs' output channels.
  ///   - layers: which convs (default all).
  /// - Throws: `AnalysisError` for no criteria, duplicate names, a missing layer, unequal score
  ///   counts or non-finite scores.
  public init(
    scores: [LayerScores], network: Network? = nil, layers: AnalysisLayerSelection = .all
  ) throws(AnalysisError) {
    let table = try ScoreTable(scores, selection: layers, network: network)
    let q = table.criteria.count
    var perLayer: [Layer] = []
    for (l, name) in table.layers.enumerated() {
      var rho = [[Double?]](repeating: [Double?](repeating: nil, count: q), count: q)
      var tau = rho
      for a in 0..<q {
        let x = table.values[a][l]
        // A criterion agrees perfectly with itself unless its scores are constant.
        let selfAgreement: Double? = x.count >= 2 && x.contains { $0 != x[0] } ? 1 : nil
        rho[a][a] = selfAgreement
        tau[a][a] = selfAgreement
        for b in (a + 1)..<q {
          let y = table.values[b][l]
          rho[a][b] = try Self.coefficient(layer: name) { () throws(StatisticsError) in
            try Correlation.spearman(x, y).coefficient
          }
          tau[a][b] = try Self.coefficient(layer: name) { () throws(StatisticsError) in
            try Correlation.kendallTauB(x, y).coefficient
          }
          rho[b][a] = rho[a][b]
          tau[b][a] = tau[a][b]
        }
      }
      perLayer.append(Layer(name: name, filters: table.filters(l), spearman: rho, kendall: tau))
    }
    let spearman = Self.mean(perLayer.map(\.spearman), size: q)
    let kendall = Self.mean(perLayer.map(\.kendall), size: q)
    self.criteria = table.criteria
    self.layers = perLayer
    self.meanSpearman = spearman.mean
    self.meanKendall = kendall.mean
    self.spearmanLayerCounts = spearman.counts
    self.kendallLayerCounts = kendall.counts
  }

  /// `matrix` with `nil` replaced by `.nan`, the form `Render.HeatMap` takes (it prints `n/a`).
  public static func nanFilled(_ matrix: [[Double?]]) -> [[Double]] {
    matrix.map { row in row.map { $0 ?? .nan } }
  }

  /// The coefficient computed by `body`, or nil when it is undefined (a constant input or
  /// fewer than 2 filters). Other statistics errors cannot happen after the table's checks and
  /// are reported with the layer name.
  private static func coefficient(
    layer: String, _ body: () throws(StatisticsError) -> Double
  ) throws(AnalysisError) -> Double? {
    do throws(StatisticsError) {
      return try body()
    } catch .constantInput, .tooFewValues {
      return nil
    } catch {
      throw .statistics(layer: layer, problem: error.description)
    }
  }

  /// Element-wise mean of the defined entries and their counts.
  static func mean(_ matrices: [[[Double?]]], size q: Int) -> (mean: [[Double?]], counts: [[Int]]) {
    var sums = [[Double]](repeating: [Double](repeating: 0, count: q), count: q)
    var counts = [[Int]](repeating: [Int](repeating: 0, count: q), count: q)
    for m in matrices {
      for a in 0..<q {
        for b in 0..<q {
          if let v = m[a][b] {
            sums[a][b] += v
            counts[a][b] += 1
          }
        }
      }
    }
    let mean: [[Double?]] = (0..<q).map { a in
      (0..<q).map { b in counts[a][b] > 0 ? sums[a][b] / Double(counts[a][b]) : nil }
    }
    return (mean, counts)
  }
}
