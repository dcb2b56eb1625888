import CommandLanguage
import Pruning

extension CommandDefinition {
  /// `k = cluster sim threshold=0.9`: criteria clustered per channel group, with candidates.
  public static let cluster = CommandDefinition(
    CommandSignature(
      name: "cluster",
      parameters: [
        ParameterSpec(
          "similarity", .similarity, summary: "per-layer Spearman matrices from `similarity`"),
        ParameterSpec(
          "threshold", .number, .keyword, default: .value(.number(0.9)), range: .closed(-1, 1),
          summary: "merge criteria while their average-linkage ρ is at least this"),
        ParameterSpec(
          "k", .number, .keyword, default: .optional, range: .atLeast(1), integerOnly: true,
          summary: "exactly k clusters per group instead of a threshold"),
        ParameterSpec(
          "pool", .text, .keyword, default: .value(.symbol("group")), symbols: ["group", "stage"],
          summary: "each group alone, or narrow groups (≤ 16 channels) pooled per stage"),
      ],
      result: .clusters,
      summary:
        "Cluster criteria per channel group by rank agreement (average linkage on 1 − ρ); "
        + "name each cluster's medoid.",
      example: "k = cluster sim threshold=0.9"),
    group: .analysis, showsResult: true
  ) { arguments, context in
    let sim = try arguments.required("similarity", as: SimilarityValue.self)
    guard let layout = sim.layout, let needs = sim.needs else {
      throw RuntimeError.invalidArgument(
        command: "cluster", name: "similarity",
        problem: "this similarity predates clustering (it lacks the model's channel groups); "
          + "compute it again with: similarity m by [...] on d")
    }
    guard sim.similarity.criteria.count >= 2 else {
      throw RuntimeError.invalidArgument(
        command: "cluster", name: "similarity",
        problem: BlendError.tooFewCriteria(sim.similarity.criteria.count).description)
    }
    let options = ClusterOptions(
      threshold: try arguments.double("threshold"), clusters: try arguments.optionalInt("k"),
      pooling: ClusterPooling(rawValue: try arguments.text("pool")) ?? .group)
    let clusters = try CriteriaClusters(
      similarity: sim.similarity, layout: layout, needs: needs, options: options)
    let value = ClustersValue(clusters: clusters)
    for item in value.details() { context.emit(item) }
    return value
  }
}
