import NeuralNet
import Statistics

/// How well each criterion's scores separate the filters of each layer (ALGORITHMS.md §2.4,
/// "Applicability"): the coefficient of variation of the scores next to the CWDA prediction
/// `1/sqrt(2k)` for the ℓ2 norm (k = the layer's filter dimension `C_in·K²`), and the relative
/// gap `(s_(m) − s_(m+1)) / |mean(s)|` between the weakest kept and the strongest pruned filter
/// at a pruning ratio (see `Applicability`).
///
/// A criterion whose scores have a zero mean, or a layer with fewer than 2 filters, has no
/// report; its entry says why in `problem`.
///
/// ```swift
/// let a = try ApplicabilityAnalysis(scores: all, network: net, ratio: 0.5)
/// a.layers[3].entries[1].report?.ratioToPrediction  // ≈ 1 for ℓ2 under CWDA
/// ```
public struct ApplicabilityAnalysis: Codable, Sendable, Equatable {
  /// One criterion's figures in one layer.
  public struct Entry: Codable, Sendable, Equatable {
    /// The criterion.
    public var criterion: String
    /// Coefficient of variation, its ratio to the prediction and the gap; nil when undefined.
    public var report: Applicability.Report?
    /// Why `report` is nil.
    public var problem: String?
  }

  /// One layer.
  public struct Layer: Codable, Sendable, Equatable {
    /// The conv node.
    public var name: String
    /// Number of filters.
    public internal(set) var filters: Int
    /// Filter dimension `k = C_in·K²`.
    public internal(set) var dimension: Int
    /// The CWDA prediction `1/sqrt(2k)` of the ℓ2 scores' coefficient of variation.
    public internal(set) var cwdaPrediction: Double
    /// One entry per criterion, in the order of `criteria`.
    public internal(set) var entries: [Entry]
  }

  /// The pruning ratio of the threshold gap.
  public internal(set) var ratio: Double
  /// The criteria, in order.
  public internal(set) var criteria: [String]
  /// The layers analysed, in graph order.
  public var layers: [Layer]

  /// Applicability of every criterion in `scores` on the selected convs of `network` (which
  /// gives the filter dimensions) at pruning `ratio`.
  /// - Throws: `AnalysisError` for a ratio outside [0, 1], a layer that is not a conv of
  ///   `network`, and the score problems of ``CriteriaSimilarity``'s initializer.
  public init(
    scores: [LayerScores], network: Network, ratio: Double, layers: AnalysisLayerSelection = .all
  ) throws(AnalysisError) {
    try checkRatio(ratio)
    let table = try ScoreTable(scores, selection: layers, network: network)
    let graph = ConvGraph(network: network)
    var perLayer: [Layer] = []
    for (l, name) in table.layers.enumerated() {
      guard let spec = graph.convSpec(name) else { throw .missingWeights(layer: name) }
      let k = spec.inChannels * spec.kernel * spec.kernel
      var entries: [Entry] = []
      for (q, criterion) in table.criteria.enumerated() {
        do throws(StatisticsError) {
          let report = try Applicability.report(
            scores: table.values[q][l], dimension: k, ratio: ratio)
          entries.append(Entry(criterion: criterion, report: report, problem: nil))
        } catch {
          entries.append(Entry(criterion: criterion, report: nil, problem: error.description))
        }
      }
      perLayer.append(
        Layer(
          name: name, filters: table.filters(l), dimension: k,
          cwdaPrediction: Applicability.cwdaPrediction(dimension: k), entries: entries))
    }
    self.ratio = ratio
    self.criteria = table.criteria
    self.layers = perLayer
  }
}
