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
        ParameterSpec(
          "epochs", .number, .keyword, default: .value(.number(1)), range: .closed(1, 10_000),
          integerOnly: true, summary: "passes over the train split"),
        ParameterSpec(
          "lr", .number, .keyword, default: .value(.number(0.1)), range: .open(0, 10),
          summary: "base learning rate"),
        ParameterSpec(
          "batch", .number, .keyword, default: .value(.number(128)), range: .closed(1, 4096),
          integerOnly: true, summary: "images per step"),
        ParameterSpec(
          "momentum", .number, .keyword, default: .value(.number(0.9)), range: .halfOpen(0, 1),
          summary: "SGD momentum"),
        ParameterSpec(
          "decay", .number, .keyword, default: .value(.number(5e-4)), range: .closed(0, 1),
          summary: "L2 weight decay"),
        ParameterSpec(
          "schedule", .text, .keyword, default: .value(.symbol("cosine")),
          symbols: ["cosine", "constant"],
          summary: "learning-rate schedule over the run"),
        ParameterSpec(
          "batches", .number, .keyword, default: .optional, range: .atLeast(1), integerOnly: true,
          summary: "stop each epoch after this many steps"),
        ParameterSpec(
          "augment", .bool, .keyword, default: .optional,
          summary: "random crop and flip (default: on for CIFAR, off otherwise)"),
      ],
      result: .model,
      summary: "Train a copy of a model with SGD; Ctrl-C stops it and binds nothing.",
      example: "m = train m on d epochs=2 lr=0.05"),
    group: .training
  ) { arguments, context in
    let model = try arguments.model("model")
    let data = try arguments.dataset("data").dataset
    var options = TrainingOptions()
    options.epochs = try arguments.int("epochs")
    options.learningRate = try arguments.double("lr")
    options.batchSize = try arguments.int("batch")
    options.momentum = try arguments.double("momentum")
    options.weightDecay = try arguments.double("decay")
    options.schedule = try arguments.text("schedule") == "constant" ? .constant : .cosine
    options.maxBatchesPerEpoch = try arguments.optionalInt("batches")
    if let augment = try arguments.optionalBool("augment") {
      let standard = data.defaultAugmentation
      let shift = Augmentation(cropPadding: max(1, data.imageShape[1] / 8), flipProbability: 0.5)
      options.augmentation = augment ? (standard.isIdentity ? shift : standard) : Augmentation.none
    } else {
      options.augmentation = data.defaultAugmentation
    }
    guard data.train.count >= 1 else {
      throw RuntimeError.invalidArgument(
        command: "train", name: "data", problem: "the train split is empty")
    }
    try MemoryBudget.check(
      try ModelFootprint(model.network).trainingBytes(batch: options.batchSize),
      for: "training \(model.network.name) on batches of \(options.batchSize)",
      command: "train", limit: context.options.memoryLimit)
    var network = model.network
    var epochStart = 0.0
    var totalElapsed = 0.0
    var last: ProgressUpdate?
    let report = try Trainer(context: context.compute).train(
      &network, on: data.train, options: options, rng: context.rng.derived("train")
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
      if var stopped = last, !stopped.finished {
        stopped.finished = true
        stopped.label += " (stopped)"
        context.progress(stopped)
      }
      throw RuntimeError.interrupted(command: "train")
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
    return ModelValue(network: network, metadata: model.metadata).adding(history: line)
  }
}
