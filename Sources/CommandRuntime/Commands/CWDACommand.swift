import CommandLanguage
import Pruning

extension CommandDefinition {
  /// `cwda m`: the CWDA test battery on every conv layer's weights.
  public static let cwda = CommandDefinition(
    CommandSignature(
      name: "cwda",
      parameters: [
        ParameterSpec("model", .model, summary: "the model whose conv weights are tested"),
        ParameterSpec(
          "layers", .text, .keyword, default: .value(.symbol("all")),
          symbols: ["all", "rethinking"],
          summary: "all convs, or leave out the first conv and 1×1 convs"),
        ParameterSpec(
          "projections", .number, .keyword, default: .value(.number(100)),
          range: .closed(0, 10_000),
          integerOnly: true, summary: "random directions for the Kolmogorov–Smirnov tests"),
      ],
      result: .cwda,
      summary: "Test whether each conv layer's filters look i.i.d. Gaussian (CWDA).",
      example: "cwda m"),
    group: .analysis, showsResult: true
  ) { arguments, context in
    let model = try arguments.model("model")
    let selection: AnalysisLayerSelection =
      try arguments.text("layers") == "rethinking" ? .rethinking : .all
    var options = CWDAAnalysis.Options()
    options.layers = selection
    options.projectionCount = try arguments.int("projections")
    let analysis = try CWDAAnalysis(
      network: model.network, rng: context.rng.derived("cwda"), options: options)
    let value = CWDAValue(analysis: analysis, model: model.network.name)
    for item in value.details() { context.emit(item) }
    return value
  }
}
