import ClusterExecution
import CommandLanguage
import Pruning

extension CommandDefinition {
  /// `sensitivity m by l1 on d`: each group pruned alone at several ratios.
  public static let sensitivity = CommandDefinition(
    CommandSignature(
      name: "sensitivity",
      parameters: [
        ParameterSpec("model", .model, summary: "the model"),
        ParameterSpec("criterion", .criterion, .preposition("by"), summary: "ranks the channels"),
        ParameterSpec("data", .dataset, .preposition("on"), summary: "calibration images"),
        ParameterSpec(
          "ratios", .list(of: .number), .keyword,
          default: .value(
            .list([
              .number(0.25, isPercent: true), .number(0.5, isPercent: true),
              .number(0.75, isPercent: true),
            ])),
          summary: "fractions of each group to remove"),
        ParameterSpec(
          "images", .number, .keyword, default: .value(.number(512)), range: .atLeast(1),
          integerOnly: true, summary: "calibration images (the first of the train split)"),
      ] + ParameterSpec.execution,
      result: .sensitivity,
      summary:
        "Prune each channel group alone at several ratios; table and chart of the loss change.",
      example: "sensitivity m by l1 on d ratios=[25%, 50%, 75%]"),
    group: .analysis, showsResult: true
  ) { arguments, context in
    let model = try arguments.model("model")
    let criterion = try arguments.criterion("criterion").criterion
    let data = try arguments.dataset("data").dataset
    try FitnessExecution.check(arguments, context)
    let ratios = try arguments.list("ratios").map { value -> Double in
      guard let n = value as? NumberValue else {
        throw RuntimeError.invalidArgument(
          command: "sensitivity", name: "ratios", problem: "expects numbers")
      }
      return n.value
    }
    let input = ScoringInput(
      network: model.network, data: data.train, context: context.compute,
      rng: context.rng.derived("score"))
    try MemoryBudget.checkScoring(
      model.network, needs: [criterion.needs], batch: input.batchSize, command: "sensitivity",
      limit: context.options.memoryLimit)
    let scores = try criterion.score(input)
    let calibration = Calibration(
      split: data.train, images: try arguments.int("images"), context: context.compute)
    let cases = try SensitivityAnalysis.cases(
      network: model.network, scores: scores, ratios: ratios)
    let execution = try FitnessExecution.sensitivity(
      arguments, context, network: model.network, calibration: calibration)
    let measures = try execution.measure(
      .cases(cases), command: "sensitivity", done: { _ in }, stop: { context.shouldStop })
    if measures.count < cases.count { throw RuntimeError.interrupted(command: "sensitivity") }
    let report = try SensitivityAnalysis.report(
      criterion: scores.criterion, ratios: ratios, cases: cases, measures: measures)
    if let line = execution.summary() { context.emit(.text(line)) }
    execution.finish()
    let value = SensitivityValue(report: report, model: model.network.name)
    for item in value.details() { context.emit(item) }
    return value
  }
}
