import CommandLanguage

extension CommandDefinition {
  /// `explain TOPIC [m] [on d]`: a definition and formula, with the model's numbers; a blended
  /// criterion (`explain b m`) explains its search: what α it found and how the search moved.
  public static let explain = CommandDefinition(
    CommandSignature(
      name: "explain",
      parameters: [
        ParameterSpec(
          "topic", .any, symbols: ExplainTopics.standard.names,
          summary:
            "a criterion, criteria, similarity, cluster, blend, cwda, groups, or a blend value"),
        ParameterSpec(
          "model", .model, default: .optional, summary: "show this model's numbers for the topic"),
        ParameterSpec(
          "data", .dataset, .preposition("on"), default: .optional,
          summary: "images, for criteria that read them"),
      ],
      result: .nothing,
      summary: "Explain a criterion or an idea, with the numbers of a model if given.",
      example: "explain fpgm m"),
    group: .inspection
  ) { arguments, context in
    let name: String
    switch arguments.value("topic") {
    case let criterion as CriterionValue:
      if let blend = criterion.blend {
        context.emit(.text(BlendTopics.blend.text))
        for item in blend.explanation(model: try arguments.optional("model", as: ModelValue.self)) {
          context.emit(item)
        }
        return nil
      }
      name = criterion.criterion.name
    case is TextValue, is SymbolValue:
      name = try arguments.text("topic")
    default:
      throw RuntimeError.invalidArgument(
        command: "explain", name: "topic",
        problem: "explain takes a topic (\(ExplainTopics.standard.names.joined(separator: ", "))) "
          + "or a blended criterion, not \(arguments.value("topic")?.type.withArticle ?? "nothing")"
      )
    }
    guard let topic = ExplainTopics.standard.topic(named: name) else {
      throw RuntimeError.invalidArgument(
        command: "explain", name: "topic",
        problem:
          "no topic '\(name)'; topics: \(ExplainTopics.standard.names.joined(separator: ", "))")
    }
    context.emit(.text(topic.text))
    if let model = try arguments.optional("model", as: ModelValue.self) {
      if let figures = topic.figures {
        for item in try figures(model, try arguments.optionalDataset("data"), context) {
          context.emit(item)
        }
      } else {
        context.emit(.text("(this topic has no figures of a model)"))
      }
    }
    return nil
  }
}
