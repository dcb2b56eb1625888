import CommandLanguage
import Pruning

extension CommandDefinition {
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
    let planValue = try arguments.required("plan", as: PlanValue.self)
    let plan = planValue.plan
    let masked = try arguments.text("mode") == "masked"
    let network =
      masked
      ? try Surgery.mask(model.network, with: plan) : try Surgery.prune(model.network, with: plan)
    return ModelValue(network: network, metadata: model.metadata).adding(
      history:
        "\(masked ? "masked" : "pruned") with a \(plan.strategy.name)/\(plan.selection.rawValue) plan by "
        + "\(plan.criterion), ratio \(Figure.format(plan.ratio)): \(plan.removedCount) channels"
    ).recording(plan: planValue)
  }
}
