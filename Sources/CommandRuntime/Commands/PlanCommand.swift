import CommandLanguage
import Pruning

extension CommandDefinition {
  /// `plan m by l1 ratio=50% alloc=global`: which channels go, as a value.
  public static let plan = CommandDefinition(
    CommandSignature(
      name: "plan",
      parameters: [
        ParameterSpec("model", .model, summary: "the model to plan for"),
        ParameterSpec("criterion", .criterion, .preposition("by"), summary: "ranks the channels"),
        ParameterSpec(
          "data", .dataset, .preposition("on"), default: .optional,
          summary: "images for data-driven criteria and for alloc=balanced"),
        ParameterSpec(
          "ratio", .number, .keyword, default: .value(.number(0.5, isPercent: true)),
          range: .halfOpen(0, 1),
          summary: "channels removed (uniform, global), FLOPs removed (balanced), weights (clr)"),
        ParameterSpec(
          "alloc", .text, .keyword, default: .value(.symbol("uniform")),
          symbols: ["uniform", "global", "balanced", "clr"], summary: "how many channels per group"),
        ParameterSpec(
          "select", .text, .keyword, default: .value(.symbol("top-k")), symbols: ["top-k", "rnf"],
          summary: "which channels: lowest scores, or k-reciprocal nearest filters"),
        ParameterSpec(
          "norm", .text, .keyword, default: .value(.symbol("l2")),
          symbols: ["none", "max", "l2", "rank"], summary: "score normalisation for alloc=global"),
        ParameterSpec(
          "target", .text, .keyword, default: .value(.symbol("flops")),
          symbols: ["flops", "params"], summary: "what alloc=balanced reduces"),
        ParameterSpec(
          "floor", .number, .keyword, default: .value(.number(1)), range: .atLeast(1),
          integerOnly: true, summary: "channels every group keeps at least"),
        ParameterSpec(
          "streams", .bool, .keyword, default: .optional,
          summary: "prune residual streams too (default: yes, except alloc=clr)"),
        ParameterSpec(
          "lambda", .number, .keyword, default: .optional, range: .atLeast(0),
          summary: "CLR exponent λ (default: the model's, from CLR-RNF)"),
        ParameterSpec(
          "images", .number, .keyword, default: .value(.number(1280)), range: .atLeast(1),
          integerOnly: true, summary: "calibration images for alloc=balanced"),
      ],
      result: .plan,
      summary: "Turn a criterion's scores into a pruning plan: which channels of each group go.",
      example: "p = plan m by l1 ratio=50% alloc=global"),
    group: .pruning
  ) { arguments, context in
    let model = try arguments.model("model")
    let criterion = try arguments.criterion("criterion").criterion
    let data = try arguments.optionalDataset("data")
    let alloc = try arguments.text("alloc")
    if data == nil && (criterion.needs != .weights || alloc == "balanced") {
      throw RuntimeError.invalidArgument(
        command: "plan", name: "data",
        problem:
          "\(alloc == "balanced" ? "alloc=balanced measures the loss" : criterion.name + " reads images"); add: on d"
      )
    }
    let scores = try criterion.score(
      ScoringInput(
        network: model.network, data: data?.dataset.train, context: context.compute,
        rng: context.rng.derived("score")))
    var options = PlanOptions()
    switch alloc {
    case "global":
      options.allocation = .global(
        normalization: GlobalScoreNormalization(rawValue: try arguments.text("norm")) ?? .l2)
    case "balanced":
      options.allocation = .balanced(
        target: try arguments.text("target") == "params" ? .params : .flops, granularity: nil)
    case "clr":
      options.allocation = .clr(lambda: try arguments.optionalDouble("lambda"))
    default:
      options.allocation = .uniform
    }
    options.selection = try arguments.text("select") == "rnf" ? .rnf : .topK
    options.minimumChannels = try arguments.int("floor")
    options.includeResidualStreams = try arguments.optionalBool("streams")
    let calibration = data.map {
      Calibration(
        split: $0.dataset.train, images: (try? arguments.int("images")) ?? 1280,
        context: context.compute)
    }
    let plan = try Planner(network: model.network).plan(
      scores: scores, ratio: try arguments.double("ratio"), options: options,
      calibration: calibration, rng: context.rng.derived("plan"))
    return try PlanValue(plan: plan, network: model.network)
  }

  /// `prune m with p`: the physically smaller network (or the masked one, for comparison).
  public static let prune = CommandDefinition(
    CommandSignature(
      name: "prune",
      parameters: [
        ParameterSpec("model", .model, summary: "the model the plan was made for"),
        ParameterSpec("plan", .plan, .preposition("with"), summary: "the plan"),
        ParameterSpec(
          "mode", .text, .keyword, default: .value(.symbol("physical")),
          symbols: ["physical", "masked"],
          summary: "remove the channels, or zero them in place (same outputs)"),
      ],
      result: .model,
      summary: "Apply a plan: a new, smaller network with the kept weights copied.",
      example: "m2 = prune m with p"),
    group: .pruning
  ) { arguments, _ in
    let model = try arguments.model("model")
    let plan = try arguments.required("plan", as: PlanValue.self).plan
    let masked = try arguments.text("mode") == "masked"
    let network =
      masked
      ? try Surgery.mask(model.network, with: plan) : try Surgery.prune(model.network, with: plan)
    return ModelValue(network: network, metadata: model.metadata).adding(
      history: "\(masked ? "masked" : "pruned") with a \(plan.strategy)/\(plan.selection) plan by "
        + "\(plan.criterion), ratio \(Figure.format(plan.ratio)): \(plan.removedCount) channels")
  }

  /// `compare m m2 on d`: accuracy, FLOPs, params and measured speed side by side.
  public static let compare = CommandDefinition(
    CommandSignature(
      name: "compare",
      parameters: [
        ParameterSpec("before", .model, summary: "the first model (usually before pruning)"),
        ParameterSpec("after", .model, summary: "the second model"),
        ParameterSpec("data", .dataset, .preposition("on"), summary: "evaluated on its test split"),
        ParameterSpec(
          "limit", .number, .keyword, default: .optional, range: .atLeast(1), integerOnly: true,
          summary: "evaluate only the first test images"),
      ],
      result: .comparison,
      summary:
        "Accuracy (measured), FLOPs and params (estimated), images/s (measured), side by side.",
      example: "compare m m2 on d"),
    group: .training, showsResult: true
  ) { arguments, context in
    let a = try arguments.model("before")
    let b = try arguments.model("after")
    let data = try arguments.dataset("data").dataset
    let comparison = try ModelComparison.compare(
      a.network, b.network, on: data.test, limit: try arguments.optionalInt("limit"),
      context: context.compute)
    let value = ComparisonValue(comparison: comparison)
    for item in value.details() { context.emit(item) }
    return value
  }

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
      ],
      result: .sensitivity,
      summary:
        "Prune each channel group alone at several ratios; table and chart of the loss change.",
      example: "sensitivity m by l1 on d ratios=[25%, 50%, 75%]"),
    group: .analysis, showsResult: true
  ) { arguments, context in
    let model = try arguments.model("model")
    let criterion = try arguments.criterion("criterion").criterion
    let data = try arguments.dataset("data").dataset
    let ratios = try arguments.list("ratios").map { value -> Double in
      guard let n = value as? NumberValue else {
        throw RuntimeError.invalidArgument(
          command: "sensitivity", name: "ratios", problem: "expects numbers")
      }
      return n.value
    }
    let scores = try criterion.score(
      ScoringInput(
        network: model.network, data: data.train, context: context.compute,
        rng: context.rng.derived("score")))
    let report = try SensitivityAnalysis.run(
      network: model.network, scores: scores, ratios: ratios,
      calibration: Calibration(
        split: data.train, images: try arguments.int("images"), context: context.compute))
    let value = SensitivityValue(report: report, model: model.network.name)
    for item in value.details() { context.emit(item) }
    return value
  }
}
