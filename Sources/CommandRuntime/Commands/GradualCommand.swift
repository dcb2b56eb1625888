import CommandLanguage
import Datasets
import NeuralNet
import Pruning
import Render
import TensorCore

extension CommandDefinition {
  /// `m2 = gradual m on d by frs ratio=50% epochs=6 every=2 until=4`: train while pruning
  /// (Aketi et al. 2020, ALGORITHMS.md §5): after every `every` epochs up to `until` the
  /// globally lowest channels go, physically, with the momentum of the kept ones carried over.
  public static let gradual = CommandDefinition(
    CommandSignature(
      name: "gradual",
      parameters: [
        ParameterSpec("model", .model, summary: "the model to train and prune (it is not changed)"),
        ParameterSpec(
          "data", .dataset, .preposition("on"),
          summary: "trains and scores on its train split, reports test accuracy per epoch"),
        ParameterSpec(
          "criterion", .criterion, .preposition("by"), default: .optional,
          summary: "ranks the channels at each step (default frs)"),
        ParameterSpec(
          "ratio", .number, .keyword, default: .value(.number(0.5, isPercent: true)),
          range: .halfOpen(0, 1), summary: "fraction of the target removed by epoch `until`"),
        ParameterSpec(
          "target", .text, .keyword, default: .value(.symbol("channels")),
          symbols: ["channels", "flops"], summary: "what the ratio counts"),
        ParameterSpec(
          "every", .number, .keyword, default: .value(.number(1)), range: .closed(1, 10_000),
          integerOnly: true, summary: "epochs between pruning steps"),
        ParameterSpec(
          "until", .number, .keyword, default: .optional, range: .closed(1, 10_000),
          integerOnly: true,
          summary: "the last epoch followed by a step (default: three quarters of the epochs)"),
        ParameterSpec(
          "floor", .number, .keyword, default: .value(.number(1)), range: .atLeast(1),
          integerOnly: true, summary: "channels every group keeps at least"),
        ParameterSpec(
          "streams", .bool, .keyword, default: .value(.bool(true)),
          summary: "prune residual streams too"),
        ParameterSpec(
          "images", .number, .keyword, default: .value(.number(256)), range: .closed(1, 1_000_000),
          integerOnly: true, summary: "training images the criterion reads at each step"),
        ParameterSpec(
          "eval", .number, .keyword, default: .optional, range: .atLeast(1), integerOnly: true,
          summary: "test images evaluated after each epoch (default: all)"),
        ParameterSpec(
          "align", .any, .keyword, default: .optional, symbols: ["auto"],
          summary: "round every group's kept count to a multiple at each step (16, or auto)"),
      ] + TrainingRecipe.parameters(epochs: 4),
      result: .model,
      summary:
        "Train while pruning: every few epochs the lowest channels go (FRS by default); Ctrl-C "
        + "binds nothing.",
      example: "m2 = gradual m on d by frs ratio=50% epochs=4 every=1 until=3"),
    group: .pruning, showsResult: true
  ) { arguments, context in
    let model = try arguments.model("model")
    let data = try arguments.dataset("data").dataset
    let criterion =
      try arguments.optional("criterion", as: CriterionValue.self)?.criterion
      ?? CriterionRegistry.standard.criterion(named: "frs")
    let training = try TrainingRecipe.options(arguments, data: data, command: "gradual")
    let epochs = training.epochs
    let until = try arguments.optionalInt("until") ?? max(1, (epochs * 3) / 4)
    let schedule: GradualSchedule
    do {
      schedule = try GradualSchedule(
        epochs: epochs, every: try arguments.int("every"), until: until,
        ratio: try arguments.double("ratio"),
        target: try arguments.text("target") == "flops" ? .flops : .channels)
    } catch let error as PruningError {
      let text = error.message
      let name =
        text.hasPrefix("ratio") ? "ratio" : text.hasPrefix("every must") ? "every" : "until"
      throw RuntimeError.invalidArgument(command: "gradual", name: name, problem: text)
    }
    let images = try arguments.int("images")
    let batchSize = min(64, images)
    var pruner = GradualPruner(
      criterion: criterion, schedule: schedule, training: training,
      minimumChannels: try arguments.int("floor"),
      includeResidualStreams: try arguments.bool("streams"),
      scoringBatches: max(1, (images + batchSize - 1) / batchSize), scoringBatchSize: batchSize,
      evaluationLimit: try arguments.optionalInt("eval"))
    pruner.training.epochs = epochs
    switch try PlanCommandAlignment.setting(arguments) {
    case .multiple(let m)?: pruner.alignment = m
    case .automatic?: pruner.alignment = MemoryDescriptor.channelBlock
    case .latency?:
      throw RuntimeError.invalidArgument(
        command: "gradual", name: "align",
        problem:
          "gradual takes align=auto or a number of channels; align=latency is for plan (with latency=lat)"
      )
    case nil: break
    }
    pruner.distillation = try TrainingRecipe.distillation(
      arguments, student: model.network, command: "gradual")
    do {
      _ = try pruner.plannedRemoval(for: model.network)
    } catch let error as PruningError {
      throw RuntimeError.invalidArgument(command: "gradual", name: "ratio", problem: error.message)
    }
    var epochStart = 0.0
    var last: ProgressUpdate?
    let report = try pruner.run(
      model.network, on: data.train, evaluation: data.test.count > 0 ? data.test : nil,
      context: context.compute, rng: context.rng.derived("train")
    ) { event in
      guard case .training(let p, let channels, let macs) = event else { return .proceed }
      if p.batch == 1 { epochStart = p.elapsed }
      let update = ProgressUpdate(
        label: "epoch \(p.epoch)/\(p.epochs)", completed: p.batch, total: p.batches,
        elapsed: p.elapsed - epochStart, eta: p.eta,
        fields: [
          .metric("loss", p.loss), .percent("acc", p.accuracy),
          ProgressField("ch \(channels)"), ProgressField("MACs \(NumberFormat.compact(macs))"),
          .rate(p.imagesPerSecond, unit: "img/s"),
        ],
        finished: p.batch == p.batches)
      last = update
      context.progress(update)
      return context.shouldStop ? .stop : .proceed
    }
    if report.interrupted {
      context.progressStopped(last)
      throw RuntimeError.interrupted(command: "gradual")
    }
    guard let final = report.epochs.last else {
      throw RuntimeError.invalidArgument(
        command: "gradual", name: "data", problem: "no training step ran (is the split empty?)")
    }
    let history = GradualHistory(report)
    context.record("gradual.steps", .count(report.steps.count))
    context.record("gradual.removed", .shape(report.steps.map(\.removed)))
    context.record("gradual.channels", .shape(history.epochs.map(\.channels)))
    context.record("gradual.macs", .shape(history.epochs.map(\.macs)))
    context.record("train.loss", .float(final.loss))
    if let accuracy = final.testAccuracy { context.record("test.accuracy", .float(accuracy)) }
    var metadata = model.metadata
    for (key, value) in try GradualHistory.metadata(report) { metadata[key] = value }
    let line =
      "gradual by \(report.criterion) on \(data.name): \(schedule.epochs) epoch(s), "
      + "\(report.steps.count) step(s) every \(schedule.every) until \(schedule.until), "
      + "\(report.channelsBefore - final.channels) of \(report.channelsBefore) channels removed, "
      + "FLOPs −"
      + NumberFormat.percent(
        1 - Double(final.macs) / Double(max(report.macsBefore, 1)), decimals: 1)
    let value = ModelValue(network: report.network, metadata: metadata).adding(history: line)
    for item in history.items(measured: GradualHistory.measured(metadata)) { context.emit(item) }
    return value
  }
}

extension PruningError {
  /// The message without the "invalid pruning option" prefix.
  var message: String {
    switch self {
    case .invalidGraph(let m), .invalidPlan(let m), .invalidOption(let m): return m
    }
  }
}
