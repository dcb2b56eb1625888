import CommandLanguage
import Datasets
import NeuralNet
import Pruning

extension CommandDefinition {
  /// `eval m on d`: accuracy and loss on the test (or train) split; `recalibrate=512` first
  /// re-estimates batch norm on 512 training images (a pruned network before fine-tuning,
  /// measured as `blend`'s fitness measures it).
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
        ParameterSpec(
          "recalibrate", .number, .keyword, default: .value(.number(0)), range: .atLeast(0),
          integerOnly: true,
          summary: "re-estimate batch norm on this many training images first, as blend's "
            + "fitness does (0: off)"),
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
    var network = model.network
    var recalibrate = try arguments.int("recalibrate")
    if recalibrate > 0 {
      // Under --limit (a quick run of a script) the training split shrinks; so does this.
      if context.options.dataLimit != nil { recalibrate = min(recalibrate, data.train.count) }
      let images: DataSplit
      do {
        images = try FitnessData.recalibration(
          data.train, images: recalibrate, rng: context.rng.derived("eval.recalibrate"))
      } catch {
        throw RuntimeError.invalidArgument(
          command: "eval", name: "recalibrate", problem: "\(error)")
      }
      recalibrate = images.count
      let b = FitnessData.recalibrationBatch(images.count)
      try context.compute.perform {
        let executor = try Executor(
          network: network, batch: b, training: true, context: context.compute)
        try executor.recalibrateBatchNorm(&network, on: images, batches: images.count / b)
      }
    }
    let metrics = try Trainer(context: context.compute).evaluate(
      network, on: split == "train" ? data.train : data.test,
      batchSize: batch, limit: try arguments.optionalInt("limit"))
    return MetricsValue(
      metrics: metrics, split: split, model: model.network.name, recalibrated: recalibrate)
  }
}
