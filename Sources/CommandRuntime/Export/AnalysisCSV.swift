import NeuralNet
import Pruning

/// The analysis results as CSV tables (``CSVWriter``: RFC 4180 quoting, CRLF line ends), in
/// long format with one value per row so that any tool can pivot them. Numbers are written in
/// the shortest form that reads back exactly; an undefined value is an empty field.
///
/// ```swift
/// try DurableFile.write(AnalysisCSV.similarity(sim), to: "similarity.csv")
/// // layer,criterion_a,criterion_b,spearman,kendall
/// // conv1,l1,l2,0.93,0.79
/// ```
enum AnalysisCSV {
  /// One row per layer × filter, one column per criterion:
  /// `layer,filter,<criterion 1>,<criterion 2>,…` (filter = output-channel index from 0).
  /// - Throws: as ``CriteriaSimilarity``'s initializer (the sets must cover the same layers
  ///   with the same counts of finite scores).
  public static func scores(
    _ sets: [LayerScores], network: Network? = nil, layers: AnalysisLayerSelection = .all
  ) throws(AnalysisError) -> String {
    let table = try ScoreTable(sets, selection: layers, network: network)
    var rows: [[String]] = []
    for (l, name) in table.layers.enumerated() {
      for i in 0..<table.filters(l) {
        rows.append([name, String(i)] + table.values.map { CSVWriter.number($0[l][i]) })
      }
    }
    return CSVWriter.table(header: ["layer", "filter"] + table.criteria, rows: rows)
  }

  /// Per layer, every ordered pair of criteria (the full Q×Q matrix, diagonal included):
  /// `layer,criterion_a,criterion_b,spearman,kendall`.
  public static func similarity(_ s: CriteriaSimilarity) -> String {
    var rows: [[String]] = []
    for layer in s.layers {
      for (a, ca) in s.criteria.enumerated() {
        for (b, cb) in s.criteria.enumerated() {
          rows.append([
            layer.name, ca, cb, CSVWriter.number(layer.spearman[a][b]),
            CSVWriter.number(layer.kendall[a][b]),
          ])
        }
      }
    }
    return CSVWriter.table(
      header: ["layer", "criterion_a", "criterion_b", "spearman", "kendall"], rows: rows)
  }

  /// The means over layers, with the number of layers in each mean:
  /// `criterion_a,criterion_b,spearman,kendall,spearman_layers,kendall_layers`.
  static func similarityMean(_ s: CriteriaSimilarity) -> String {
    var rows: [[String]] = []
    for (a, ca) in s.criteria.enumerated() {
      for (b, cb) in s.criteria.enumerated() {
        rows.append([
          ca, cb, CSVWriter.number(s.meanSpearman[a][b]), CSVWriter.number(s.meanKendall[a][b]),
          String(s.spearmanLayerCounts[a][b]), String(s.kendallLayerCounts[a][b]),
        ])
      }
    }
    return CSVWriter.table(
      header: [
        "criterion_a", "criterion_b", "spearman", "kendall", "spearman_layers", "kendall_layers",
      ], rows: rows)
  }

  /// Per layer and ordered pair of criteria:
  /// `layer,criterion_a,criterion_b,filters,pruned,jaccard,shared`.
  public static func overlap(_ o: PruningOverlap) -> String {
    var rows: [[String]] = []
    for layer in o.layers {
      for (a, ca) in o.criteria.enumerated() {
        for (b, cb) in o.criteria.enumerated() {
          rows.append([
            layer.name, ca, cb, String(layer.filters), String(layer.prunedCount),
            CSVWriter.number(layer.jaccard[a][b]), CSVWriter.number(layer.shared[a][b]),
          ])
        }
      }
    }
    return CSVWriter.table(
      header: ["layer", "criterion_a", "criterion_b", "filters", "pruned", "jaccard", "shared"],
      rows: rows)
  }

  /// Per layer and criterion: `layer,criterion,filters,dimension,coefficient_of_variation,
  /// cwda_prediction,ratio_to_prediction,relative_threshold_gap,problem`.
  public static func applicability(_ a: ApplicabilityAnalysis) -> String {
    var rows: [[String]] = []
    for layer in a.layers {
      for entry in layer.entries {
        rows.append([
          layer.name, entry.criterion, String(layer.filters), String(layer.dimension),
          CSVWriter.number(entry.report?.coefficientOfVariation),
          CSVWriter.number(layer.cwdaPrediction),
          CSVWriter.number(entry.report?.ratioToPrediction),
          CSVWriter.number(entry.report?.relativeThresholdGap), entry.problem ?? "",
        ])
      }
    }
    return CSVWriter.table(
      header: [
        "layer", "criterion", "filters", "dimension", "coefficient_of_variation",
        "cwda_prediction", "ratio_to_prediction", "relative_threshold_gap", "problem",
      ], rows: rows)
  }

  /// Per criterion and layer: `criterion,layer,filters,pruned,ratio,protected` (protected =
  /// `true` when the layer kept its last filter only by the keep-one rule).
  static func globalRatios(_ g: GlobalPruningComparison) -> String {
    var rows: [[String]] = []
    for result in g.results {
      let protected = Set(result.protectedLayers)
      for (l, name) in g.layers.enumerated() {
        rows.append([
          result.criterion, name, String(g.filters[l]), String(result.prunedPerLayer[l]),
          CSVWriter.number(result.ratios[l]), protected.contains(name) ? "true" : "false",
        ])
      }
    }
    return CSVWriter.table(
      header: ["criterion", "layer", "filters", "pruned", "ratio", "protected"], rows: rows)
  }

  /// Per ordered pair of criteria: `criterion_a,criterion_b,mean_abs_difference` of their
  /// per-layer global ratios.
  static func globalDistances(_ g: GlobalPruningComparison) -> String {
    var rows: [[String]] = []
    for (a, ca) in g.criteria.enumerated() {
      for (b, cb) in g.criteria.enumerated() {
        rows.append([ca, cb, CSVWriter.number(g.distances[a][b])])
      }
    }
    return CSVWriter.table(
      header: ["criterion_a", "criterion_b", "mean_abs_difference"], rows: rows)
  }

  /// One row per tested layer with the battery's figures (see `CWDAReport`; `_cwda` columns
  /// are the values expected under CWDA, `_p` columns p-values).
  public static func cwda(_ c: CWDAAnalysis) -> String {
    let rows: [[String]] = c.layers.map { layer in
      let r = layer.report
      return [
        layer.name, String(r.filters), String(r.dimension), String(r.constantCoordinates),
        CSVWriter.number(r.meanRejectedFraction), CSVWriter.number(r.normalizedMeanNorm),
        CSVWriter.number(r.normalizedMeanNormUnderCWDA), CSVWriter.number(r.offDiagonalRatio),
        CSVWriter.number(r.offDiagonalRatioUnderCWDA), CSVWriter.number(r.sphericity),
        CSVWriter.number(r.sphericityUnderCWDA), String(r.shapiroWilkCoordinatesTested),
        CSVWriter.number(r.shapiroWilkNotRejectedFraction),
        CSVWriter.number(r.pooledShapiroWilk?.statistic),
        CSVWriter.number(r.pooledShapiroWilk?.pValue),
        CSVWriter.number(r.pooledDAgostino?.statistic),
        CSVWriter.number(r.pooledDAgostino?.pValue), String(r.projectionsTested),
        CSVWriter.number(r.projectionNotRejectedFraction),
      ]
    }
    return CSVWriter.table(
      header: [
        "layer", "filters", "dimension", "constant_coordinates", "mean_rejected_fraction",
        "normalized_mean_norm", "normalized_mean_norm_cwda", "off_diagonal_ratio",
        "off_diagonal_ratio_cwda", "sphericity", "sphericity_cwda", "shapiro_wilk_tested",
        "shapiro_wilk_not_rejected", "pooled_shapiro_wilk", "pooled_shapiro_wilk_p",
        "pooled_dagostino", "pooled_dagostino_p", "projections_tested",
        "projections_not_rejected",
      ], rows: rows)
  }
}
