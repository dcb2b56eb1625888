import CommandLanguage

extension CommandDefinition {
  /// `explain TOPIC [m|p] [on d]`: a definition and formula, with a model's numbers or what a
  /// plan cut (`explain balanced p`: its δ and each group's cut); a blended
  /// criterion (`explain b m`) explains its search: what α it found and how the search moved.
  public static let explain = CommandDefinition(
    CommandSignature(
      name: "explain",
      parameters: [
        ParameterSpec(
          "topic", .any, symbols: ExplainTopics.standard.names,
          summary:
            "a command, a criterion, an idea (explain lists them), or a blend value"),
        ParameterSpec(
          "model", .any, default: .optional,
          summary: "a model (its numbers for the topic) or a plan (what it cut, and why)"),
        ParameterSpec(
          "data", .dataset, .preposition("on"), default: .optional,
          summary: "images, for criteria that read them"),
      ],
      result: .nothing,
      summary: "Explain a command, a criterion or an idea, with a model's or plan's numbers.",
      example: "explain fpgm m"),
    group: .inspection
  ) { arguments, context in
    let name: String
    switch arguments.value("topic") {
    case let criterion as CriterionValue:
      if let blend = criterion.blend {
        context.emit(.text(BlendTopics.blend.text))
        let model = arguments.value("model") as? ModelValue
        for item in blend.explanation(model: model) {
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
    switch arguments.value("model") {
    case nil:
      break
    case let model as ModelValue:
      if let figures = topic.figures {
        for item in try figures(model, try arguments.optionalDataset("data"), context) {
          context.emit(item)
        }
      } else {
        context.emit(.text("(this topic has no figures of a model)"))
      }
    case let plan as PlanValue:
      if let figures = topic.planFigures {
        for item in try figures(plan) { context.emit(item) }
      } else {
        context.emit(
          .text(
            "(this topic has no figures of a plan; explain allocation, balanced, rnf or "
              + "surgery show what a plan cut)"))
      }
    case let other?:
      throw RuntimeError.invalidArgument(
        command: "explain", name: "model",
        problem: "explain \(name) takes a model or a plan, not \(other.type.withArticle)")
    }
    return nil
  }
}
