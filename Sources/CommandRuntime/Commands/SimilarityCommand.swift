import CommandLanguage
import Pruning

extension CommandDefinition {
  /// `similarity m by [l1, l2, fpgm] on d`: how alike criteria rank the filters, layer by layer.
  public static let similarity = CommandDefinition(
    CommandSignature(
      name: "similarity",
      parameters: [
        ParameterSpec("model", .model, summary: "the model whose filters are ranked"),
        ParameterSpec(
          "criteria", .list(of: .criterion), .preposition("by"),
          summary: "two or more criteria to compare"),
        ParameterSpec(
          "data", .dataset, .preposition("on"), default: .optional,
          summary: "images for data-driven criteria"),
        ParameterSpec(
          "ratio", .number, .keyword, default: .optional, range: .open(0, 1),
          summary: "also compare the filters each criterion would prune at this ratio (Jaccard)"),
        ParameterSpec(
          "layers", .text, .keyword, default: .value(.symbol("all")),
          symbols: ["all", "rethinking"],
          summary: "all convs, or leave out the first conv and 1×1 convs as the paper does"),
      ] + ParameterSpec.scoringImages,
      result: .similarity,
      summary: "Spearman and Kendall agreement of criteria per layer and averaged, as heat maps.",
      example: "sim = similarity m by [l1, l2, fpgm, bn, taylor] on d"),
    group: .analysis, showsResult: true
  ) { arguments, context in
    let model = try arguments.model("model")
    let criteria = try arguments.list("criteria").map { value -> any Criterion in
      guard let c = value as? CriterionValue else {
        throw RuntimeError.invalidArgument(
          command: "similarity", name: "criteria", problem: "expects criteria")
      }
      return c.criterion
    }
    guard criteria.count >= 2 else {
      throw RuntimeError.invalidArgument(
        command: "similarity", name: "criteria", problem: "give at least two criteria to compare")
    }
    let data = try arguments.optionalDataset("data")
    if data == nil, let c = criteria.first(where: { $0.needs != .weights }) {
      throw RuntimeError.invalidArgument(
        command: "similarity", name: "data",
        problem: "\(c.name) reads images; add: on d")
    }
    let registry = CriterionRegistry(criteria)
    let input = ScoringInput(
      network: model.network, data: data?.dataset.train, batches: try arguments.int("batches"),
      batchSize: try arguments.int("batch"), context: context.compute,
      rng: context.rng.derived("score"))
    try MemoryBudget.checkScoring(
      model.network, needs: criteria.map(\.needs), batch: input.batchSize, command: "similarity",
      limit: context.options.memoryLimit)
    let scores = try registry.score(criteria.map(\.name), input: input)
    let selection: AnalysisLayerSelection =
      try arguments.text("layers") == "rethinking" ? .rethinking : .all
    let similarity = try CriteriaSimilarity(
      scores: scores, network: model.network, layers: selection)
    let overlap = try arguments.optionalDouble("ratio").map {
      try PruningOverlap(scores: scores, ratio: $0, network: model.network, layers: selection)
    }
    let value = SimilarityValue(
      similarity: similarity, overlap: overlap, model: model.network.name,
      layout: try GroupLayout(network: model.network), needs: criteria.map(\.needs))
    for item in value.details().dropFirst() { context.emit(item) }
    return value
  }
}
