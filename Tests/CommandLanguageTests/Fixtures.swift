import CommandLanguage

/// A tiny signature table shaped like the real one (train, score, prune, data, model, plan,
/// similarity, explain), for checker, diagnostic and completion tests.
enum Fixtures {
  static let criteria = ["l1", "l2", "fpgm", "fermat", "bn", "taylor", "random"]

  static let signatures: [CommandSignature] = [
    CommandSignature(
      name: "data",
      parameters: [
        ParameterSpec(
          "name", .text, symbols: ["fashion-mnist", "mnist", "cifar10", "cifar100"],
          allowsOtherText: true),
        ParameterSpec(
          "batch", .number, .keyword, default: .value(.number(128)), range: .atLeast(1),
          integerOnly: true),
      ],
      result: .dataset, summary: "Load a data set.", example: "d = data fashion-mnist"),
    CommandSignature(
      name: "model",
      parameters: [
        ParameterSpec(
          "arch", .text,
          symbols: ["lenet5", "vgg-small", "vgg16", "resnet20", "resnet32", "resnet56"]),
        ParameterSpec(
          "classes", .number, .keyword, default: .value(.number(10)), range: .atLeast(2),
          integerOnly: true),
        ParameterSpec(
          "channels", .number, .keyword, default: .value(.number(3)), range: .closed(1, 4),
          integerOnly: true),
      ],
      result: .model, summary: "Build a model.", example: "m = model resnet20 classes=10"),
    CommandSignature(
      name: "train",
      parameters: [
        ParameterSpec("model", .model),
        ParameterSpec("data", .dataset, .preposition("on")),
        ParameterSpec(
          "epochs", .number, .keyword, default: .value(.number(1)), range: .atLeast(1),
          integerOnly: true),
        ParameterSpec(
          "lr", .number, .keyword, default: .value(.number(0.1)), range: .greaterThan(0)),
      ],
      result: .model, summary: "Train a model.", example: "train m on d epochs=2"),
    CommandSignature(
      name: "score",
      parameters: [
        ParameterSpec("model", .model),
        ParameterSpec("criterion", .criterion, .preposition("by")),
        ParameterSpec("data", .dataset, .preposition("on"), default: .optional),
      ],
      result: .scores, summary: "Score filters.", example: "score m by fpgm"),
    CommandSignature(
      name: "plan",
      parameters: [
        ParameterSpec("model", .model),
        ParameterSpec("criterion", .criterion, .preposition("by")),
        ParameterSpec(
          "ratio", .number, .keyword, default: .value(.number(0.5, isPercent: true)),
          range: .halfOpen(0, 1)),
        ParameterSpec(
          "alloc", .text, .keyword, default: .value(.symbol("uniform")),
          symbols: ["uniform", "global", "balanced", "clr"]),
      ],
      result: .plan, summary: "Plan which channels go.", example: "p = plan m by l1 ratio=50%"),
    CommandSignature(
      name: "prune",
      parameters: [
        ParameterSpec("model", .model),
        ParameterSpec("plan", .plan, .preposition("with")),
      ],
      result: .model, summary: "Remove channels.", example: "m2 = prune m with p"),
    CommandSignature(
      name: "similarity",
      parameters: [
        ParameterSpec("model", .model),
        ParameterSpec("criteria", .list(of: .criterion), .preposition("by")),
        ParameterSpec("data", .dataset, .preposition("on"), default: .optional),
      ],
      result: .similarity, summary: "Rank similarity of criteria.",
      example: "similarity m by [l1, l2, fpgm]"),
    CommandSignature(
      name: "explain",
      parameters: [ParameterSpec("topic", .text, symbols: ["fpgm", "l1", "similarity"])],
      result: .nothing, summary: "Explain a topic.", example: "explain fpgm"),
  ]

  /// A context with `m: Model`, `d: Dataset`, `p: Plan` bound.
  static let context = StaticCheckContext(
    signatures: signatures, variables: ["m": .model, "d": .dataset, "p": .plan],
    symbols: [.criterion: criteria])

  /// A context with no variables bound.
  static let empty = StaticCheckContext(
    signatures: signatures, symbols: [.criterion: criteria])

  /// The diagnostics of checking `source` (syntax and types) with `context`.
  static func diagnostics(_ source: String, in context: StaticCheckContext = Fixtures.context)
    -> [Diagnostic]
  {
    Checker(context: context).check(source: source).diagnostics
  }

  /// A range on line `line` at `column` with `length`, where `offset` is given by hand.
  static func range(_ line: Int, _ column: Int, _ length: Int, _ offset: Int) -> SourceRange {
    SourceRange(line: line, column: column, length: length, offset: offset)
  }
}
