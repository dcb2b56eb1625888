import CommandLanguage
import Datasets
import NeuralNet
import Render

extension CommandDefinition {
  /// `train m on d …`: SGD with momentum; a progress bar per epoch; Ctrl-C stops it.
  public static let train = CommandDefinition(
    CommandSignature(
      name: "train",
      parameters: [
        ParameterSpec("model", .model, summary: "the model to train (it is not changed)"),
        ParameterSpec("data", .dataset, .preposition("on"), summary: "trains on its train split"),
      ] + TrainingRecipe.parameters(epochs: 1),
      result: .model,
      summary: "Train a copy of a model with SGD; Ctrl-C stops it and binds nothing.",
      example: "m = train m on d epochs=2 lr=0.05"),
    group: .training
  ) { arguments, context in
    let model = try arguments.model("model")
    let data = try arguments.dataset("data").dataset
    let options = try TrainingRecipe.options(arguments, data: data, command: context.command)
    let distillation = try TrainingRecipe.distillation(
      arguments, student: model.network, command: context.command)
    try MemoryBudget.check(
      try ModelFootprint(model.network).trainingBytes(batch: options.batchSize),
      for: "training \(model.network.name) on batches of \(options.batchSize)",
      command: "train", limit: context.options.memoryLimit)
    var network = model.network
    var epochStart = 0.0
    var totalElapsed = 0.0
    var last: ProgressUpdate?
    let report = try Trainer(context: context.compute).train(
      &network, on: data.train, options: options, rng: context.rng.derived("train"),
      distillation: distillation
    ) { progress in
      if progress.batch == 1 { epochStart = totalElapsed }
      totalElapsed = progress.elapsed
      let update = ProgressUpdate(
        label: "epoch \(progress.epoch)/\(progress.epochs)", completed: progress.batch,
        total: progress.batches, elapsed: progress.elapsed - epochStart, eta: progress.eta,
        fields: [
          .metric("loss", progress.loss), .percent("acc", progress.accuracy),
          .rate(progress.imagesPerSecond, unit: "img/s"),
        ],
        finished: progress.batch == progress.batches)
      last = update
      context.progress(update)
      return context.shouldStop ? .stop : .proceed
    }
    if report.interrupted {
      context.progressStopped(last)
      throw RuntimeError.interrupted(command: context.command)
    }
    guard let final = report.epochs.last else {
      throw RuntimeError.invalidArgument(
        command: "train", name: "data", problem: "no training step ran (is the split empty?)")
    }
    context.record("train.loss", .float(final.loss))
    context.record("train.accuracy", .float(final.accuracy))
    context.record("train.images", .count(report.epochs.reduce(0) { $0 + $1.images }))
    let line =
      "train on \(data.name) (\(data.train.count) images): \(options.epochs) epoch(s), "
      + "lr \(Figure.format(options.learningRate)), batch \(options.batchSize) → loss "
      + "\(NumberFormat.fixed(final.loss, decimals: 4)), train accuracy "
      + NumberFormat.percent(final.accuracy, decimals: 1)
      + (distillation.map {
        " (distilled from \($0.teacher.name), T \(Figure.format($0.temperature)), α \(Figure.format($0.alpha)))"
      } ?? "")
    return ModelValue(network: network, metadata: model.metadata).adding(history: line)
  }
}
