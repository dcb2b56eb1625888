import CommandLanguage
import Pruning

extension CommandDefinition {
  /// `score m by fpgm [on d]`: one importance score per filter of every conv layer.
  public static let score = CommandDefinition(
    CommandSignature(
      name: "score",
      parameters: [
        ParameterSpec("model", .model, summary: "the model whose filters are scored"),
        ParameterSpec("criterion", .criterion, .preposition("by"), summary: "the criterion"),
        ParameterSpec(
          "data", .dataset, .preposition("on"), default: .optional,
          summary: "images for data-driven criteria (taylor, apoz, hrank, frs)"),
      ] + ParameterSpec.scoringImages,
      result: .scores,
      summary: "Score every filter of every conv layer by a criterion (larger = keep).",
      example: "s = score m by taylor on d"),
    group: .pruning
  ) { arguments, context in
    let model = try arguments.model("model")
    let criterion = try arguments.criterion("criterion").criterion
    let data = try arguments.optionalDataset("data")
    if criterion.needs != .weights && data == nil {
      throw RuntimeError.invalidArgument(
        command: "score", name: "data",
        problem:
          "\(criterion.name) reads images; give a data set: score m by \(criterion.name) on d")
    }
    let input = ScoringInput(
      network: model.network, data: data?.dataset.train, batches: try arguments.int("batches"),
      batchSize: try arguments.int("batch"), context: context.compute,
      rng: context.rng.derived("score"))
    try MemoryBudget.checkScoring(
      model.network, needs: [criterion.needs], batch: input.batchSize, command: "score",
      limit: context.options.memoryLimit)
    let scores = try criterion.score(input)
    return ScoresValue(scores: scores, model: model.network.name)
  }
}

extension ParameterSpec {
  /// `batches=` and `batch=`: how many training images data-driven criteria read (shared by
  /// `score` and `similarity`).
  static let scoringImages = [
    ParameterSpec(
      "batches", .number, .keyword, default: .value(.number(4)), range: .closed(1, 1000),
      integerOnly: true, summary: "batches of train images data-driven criteria read"),
    ParameterSpec(
      "batch", .number, .keyword, default: .value(.number(64)), range: .closed(1, 4096),
      integerOnly: true, summary: "images per batch"),
  ]
}
