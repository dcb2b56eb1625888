import CommandLanguage
import Pruning

extension CommandDefinition {
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
        ParameterSpec(
          "latency", .latency, .keyword, default: .optional,
          summary: "a latency model of the first model: predicted vs measured time of both"),
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
      context: context.compute,
      latency: try arguments.optional("latency", as: LatencyValue.self)?.model)
    let value = ComparisonValue(comparison: comparison)
    for item in value.details() { context.emit(item) }
    return value
  }
}
