import CommandLanguage

extension CommandDefinition {
  /// `show v`: a value in detail (tables).
  public static let show = CommandDefinition(
    CommandSignature(
      name: "show",
      parameters: [ParameterSpec("value", .any, summary: "any value")],
      result: .nothing,
      summary: "Show a value in detail: a model's layers, a data set's classes, scores per layer.",
      example: "show m"),
    group: .inspection
  ) { arguments, context in
    guard let value = arguments.value("value") else {
      throw RuntimeError.internalInconsistency("show without a value")
    }
    for item in value.details() { context.emit(item) }
    return nil
  }
}
