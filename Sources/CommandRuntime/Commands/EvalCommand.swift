import CommandLanguage
import NeuralNet

extension CommandDefinition {
  /// `eval m on d`: accuracy and loss on the test (or train) split.
  public static let eval = CommandDefinition(
    CommandSignature(
      name: "eval",
      parameters: [
        ParameterSpec("model", .model, summary: "the model to evaluate"),
        ParameterSpec("data", .dataset, .preposition("on"), summary: "the data set"),
        ParameterSpec(
          "split", .text, .keyword, default: .value(.symbol("test")), symbols: ["test", "train"],
          summary: "which split"),
        ParameterSpec(
          "limit", .number, .keyword, default: .optional, range: .atLeast(1), integerOnly: true,
          summary: "evaluate only the first images of the split"),
        ParameterSpec(
          "batch", .number, .keyword, default: .value(.number(250)), range: .closed(1, 4096),
          integerOnly: true, summary: "images per forward pass"),
      ],
      result: .metrics,
      summary: "Measure accuracy and loss of a model on a split.",
      example: "eval m on d"),
    group: .training
  ) { arguments, context in
    let model = try arguments.model("model")
    let data = try arguments.dataset("data").dataset
    let split = try arguments.text("split")
    let batch = try arguments.int("batch")
    try MemoryBudget.check(
      try ModelFootprint(model.network).inferenceBytes(batch: batch),
      for: "evaluating \(model.network.name) on batches of \(batch)", command: "eval",
      limit: context.options.memoryLimit)
    let metrics = try Trainer(context: context.compute).evaluate(
      model.network, on: split == "train" ? data.train : data.test,
      batchSize: batch, limit: try arguments.optionalInt("limit"))
    return MetricsValue(metrics: metrics, split: split, model: model.network.name)
  }
}
