import CommandLanguage
import NeuralNet
import Pruning
import Render

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
          "like", .plan, .keyword, default: .optional,
          summary:
            "target=latency: reach the predicted latency another plan reaches (instead of ratio=)"),
        ParameterSpec(
          "align", .any, .keyword, default: .optional, symbols: ["auto", "latency"],
          summary:
            "round every group's kept count to a multiple (16, auto: the engine's block, latency: the block, neighbours chosen by latency=)"
        ),
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
      example: "p = plan m by l1 ratio=50% alloc=global",
      constraints: [.onlyWith(["like"], "target", "latency"), .excludes("like", "ratio")]),
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
    if try PlanCommandAlignment.setting(arguments) == .latency && latency == nil {
      throw RuntimeError.invalidArgument(
        command: "plan", name: "latency",
        problem:
          "align=latency chooses roundings by a latency model: lat = profile m, then latency=lat")
    }
    if target == .latency && alloc != "global" && alloc != "balanced" {
      throw RuntimeError.invalidArgument(
        command: "plan", name: "target",
        problem: "target=latency works with alloc=global or alloc=balanced, not alloc=\(alloc)")
    }
    var ratio = try arguments.double("ratio")
    if let reference = try arguments.optional("like", as: PlanValue.self) {
      ratio = try PlanCommandLike.ratio(
        of: reference, under: latency?.model, for: model.network, arguments: arguments,
        target: target)
      context.emit(
        .text(
          "like=: the reference plan's predicted latency is −"
            + NumberFormat.percent(ratio, decimals: 2) + "; planning to it (ratio "
            + Figure.format(ratio) + ")"))
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
      scores: scores, ratio: ratio, options: options,
      calibration: calibration, latency: latency?.model, rng: context.rng.derived("plan"))
    let value = try PlanValue(plan: plan, network: model.network, latency: latency?.model)
    for warning in value.warnings { context.warn(warning) }
    return value
  }
}

/// Reads `plan`'s `like=` argument: the target of a latency plan taken from another plan.
enum PlanCommandLike {
  /// The reduction of predicted latency that `reference`'s kept counts reach under `latency`
  /// (``Pruning/LatencyModel/reduction(removed:)``), the ratio a `target=latency` plan asks.
  static func ratio(
    of reference: PlanValue, under latency: LatencyModel?, for network: Network,
    arguments: Arguments, target: ReductionTarget
  ) throws -> Double {
    func refuse(_ name: String, _ problem: String) -> RuntimeError {
      RuntimeError.invalidArgument(command: arguments.command, name: name, problem: problem)
    }
    guard target == .latency else {
      throw refuse(
        "like", "like= sets a latency target: it needs target=latency and latency=lat")
    }
    guard !arguments.isGiven("ratio") else {
      throw refuse("like", "like= and ratio= cannot be given together; like= sets the ratio")
    }
    guard let latency else {
      throw refuse("latency", "like= predicts latency: add latency=lat (lat = profile m)")
    }
    let plan = reference.plan
    guard plan.fingerprint == network.fingerprint else {
      throw refuse(
        "like",
        "the reference plan was made for \(plan.model) (fingerprint \(plan.fingerprint)), not "
          + "\(network.name) (\(network.fingerprint)); plan both on the same model")
    }
    var removed: [String: Int] = [:]
    for g in plan.groups where !g.removed.isEmpty {
      guard latency.groupChannels[g.group] == g.channels else {
        throw refuse(
          "like",
          "the reference plan's group \(g.group) is not a group of the latency model's network; "
            + "profile the model the plans are made for")
      }
      removed[g.group] = g.removed.count
    }
    let reduction = latency.reduction(removed: removed)
    guard reduction.isFinite, reduction > 0, reduction < 1 else {
      throw refuse(
        "like",
        "by the latency model, the reference plan changes the predicted latency by "
          + NumberFormat.signedPercent(-reduction, decimals: 1) + ": there is nothing to match"
          + (reduction.isFinite && reduction <= 0
            ? " (a model that finds fewer channels no faster was most likely profiled on a "
              + "busy machine: `show` it — its cells should grow with the channels — and "
              + "profile again when the machine is quiet)" : ""))
    }
    return reduction
  }
}

/// Reads `plan`'s `align=` argument.
enum PlanCommandAlignment {
  /// nil when not given; a whole number ≥ 1, `auto`, or `latency`.
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
      switch try arguments.text("align") {
      case "auto": return .automatic
      case "latency": return .latency
      case let word:
        throw RuntimeError.invalidArgument(
          command: arguments.command, name: "align",
          problem: "align takes a number of channels (16), auto or latency, not '\(word)'")
      }
    case let other?:
      throw RuntimeError.invalidArgument(
        command: arguments.command, name: "align",
        problem:
          "align takes a number of channels (16), auto or latency, not \(other.type.withArticle)")
    }
  }
}
