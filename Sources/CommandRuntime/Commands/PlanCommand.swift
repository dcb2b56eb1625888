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
          symbols: ["flops", "params", "latency"],
          summary: "what alloc=balanced (or global, when given) reduces; latency needs latency="),
        ParameterSpec(
          "latency", .latency, .keyword, default: .optional,
          summary: "the latency model for target=latency (lat = profile m)"),
        ParameterSpec(
          "align", .any, .keyword, default: .optional, symbols: ["auto"],
          summary: "round every group's kept count to a multiple (16, or auto: the engine's block)"),
        ParameterSpec(
          "mode", .text, .keyword, default: .value(.symbol("cached")),
          symbols: BalancedMode.allCases.map(\.rawValue),
          summary: "alloc=balanced: loss curves measured once (cached) or group after group"),
        ParameterSpec(
          "step", .number, .keyword, default: .value(.number(1)), range: .closed(1, 4096),
          integerOnly: true, summary: "alloc=balanced: channels between the cuts measured"),
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
    let input = ScoringInput(
      network: model.network, data: data?.dataset.train, context: context.compute,
      rng: context.rng.derived("score"))
    try MemoryBudget.checkScoring(
      model.network, needs: [criterion.needs], batch: input.batchSize, command: "plan",
      limit: context.options.memoryLimit)
    let scores = try criterion.score(input)
    var options = PlanOptions()
    let target = ReductionTarget(rawValue: try arguments.text("target")) ?? .flops
    let latency = try arguments.optional("latency", as: LatencyValue.self)
    if target == .latency && latency == nil {
      throw RuntimeError.invalidArgument(
        command: "plan", name: "latency",
        problem: "target=latency needs a latency model: lat = profile m, then latency=lat")
    }
    if target == .latency && alloc != "global" && alloc != "balanced" {
      throw RuntimeError.invalidArgument(
        command: "plan", name: "target",
        problem: "target=latency works with alloc=global or alloc=balanced, not alloc=\(alloc)")
    }
    options.alignment = try PlanCommandAlignment.setting(arguments)
    switch alloc {
    case "global":
      options.allocation = .global(
        normalization: GlobalScoreNormalization(rawValue: try arguments.text("norm")) ?? .l2,
        target: arguments.isGiven("target") ? target : nil)
    case "balanced":
      options.allocation = .balanced(
        target: target,
        granularity: try arguments.int("step"),
        mode: BalancedMode(rawValue: try arguments.text("mode")) ?? .cached)
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
      calibration: calibration, latency: latency?.model, rng: context.rng.derived("plan"))
    let value = try PlanValue(plan: plan, network: model.network, latency: latency?.model)
    for warning in value.warnings { context.warn(warning) }
    return value
  }
}

/// Reads `plan`'s `align=` argument.
enum PlanCommandAlignment {
  /// nil when not given; a whole number ≥ 1, or `auto`.
  static func setting(_ arguments: Arguments) throws -> AlignmentSetting? {
    switch arguments.value("align") {
    case nil: return nil
    case let n as NumberValue:
      guard n.value.isFinite, n.value == n.value.rounded(), n.value >= 1, n.value <= 4096 else {
        throw RuntimeError.invalidArgument(
          command: arguments.command, name: "align",
          problem: "align takes a whole number of channels from 1 to 4096, or auto; got "
            + Figure.format(n.value))
      }
      return .multiple(Int(n.value))
    case is TextValue, is SymbolValue:
      guard try arguments.text("align") == "auto" else {
        throw RuntimeError.invalidArgument(
          command: arguments.command, name: "align",
          problem:
            "align takes a number of channels (16) or auto, not '\(try arguments.text("align"))'")
      }
      return .automatic
    case let other?:
      throw RuntimeError.invalidArgument(
        command: arguments.command, name: "align",
        problem: "align takes a number of channels (16) or auto, not \(other.type.withArticle)")
    }
  }
}
