import CommandLanguage
import NeuralNet
import Render

extension CommandDefinition {
  /// `model ARCH [for d] …`: builds a zoo model with fresh seeded weights.
  public static let model = CommandDefinition(
    CommandSignature(
      name: "model",
      parameters: [
        ParameterSpec("arch", .text, symbols: ModelZoo.names, summary: "the architecture"),
        ParameterSpec(
          "data", .dataset, .preposition("for"), default: .optional,
          summary: "take classes, channels and image size from this data set"),
        ParameterSpec(
          "classes", .number, .keyword, default: .optional, range: .closed(2, 1000),
          integerOnly: true, summary: "output classes (default: the data set's, else 10)"),
        ParameterSpec(
          "channels", .number, .keyword, default: .optional, range: .closed(1, 64),
          integerOnly: true, summary: "input channels (default: the data set's, else 3)"),
        ParameterSpec(
          "size", .number, .keyword, default: .optional, range: .closed(4, 512),
          integerOnly: true, summary: "input height and width (default: the data set's, else 32)"),
        ParameterSpec(
          "width", .number, .keyword, default: .value(.number(1)), range: .closed(0.01, 8),
          summary: "multiplies every hidden width"),
        ParameterSpec(
          "shortcut", .text, .keyword, default: .value(.symbol("a")),
          symbols: ModelOptions.Shortcut.allCases.map(\.rawValue),
          summary: "ResNet shortcut when the shape changes: a (zero-pad) or b (1×1 conv)"),
        ParameterSpec(
          "init", .text, .keyword, default: .value(.symbol("he")),
          symbols: ModelOptions.Initialization.allCases.map(\.rawValue),
          summary: "conv weights: he (N(0, 2/fan_in)) or torch (PyTorch's, uniform ±1/√fan_in)"),
      ],
      result: .model,
      summary: "Build a model from the zoo with fresh, seeded weights.",
      example: "m = model vgg-small for d width=0.5"),
    group: .data
  ) { arguments, context in
    let arch = try arguments.text("arch")
    let data = try arguments.optionalDataset("data")?.dataset
    let shortcutName = try arguments.text("shortcut")
    guard let shortcut = ModelOptions.Shortcut(rawValue: shortcutName) else {
      throw RuntimeError.invalidArgument(
        command: "model", name: "shortcut", problem: "unknown shortcut '\(shortcutName)'")
    }
    let initName = try arguments.text("init")
    guard let initialization = ModelOptions.Initialization(rawValue: initName) else {
      throw RuntimeError.invalidArgument(
        command: "model", name: "init", problem: "unknown initialisation '\(initName)'")
    }
    let options = ModelOptions(
      inputChannels: try arguments.optionalInt("channels") ?? data?.imageShape[0] ?? 3,
      inputSize: try arguments.optionalInt("size") ?? data?.imageShape[1] ?? 32,
      classes: try arguments.optionalInt("classes") ?? data?.classCount ?? 10,
      widthMultiplier: try arguments.double("width"), shortcut: shortcut,
      initialization: initialization)
    if let data, data.imageShape[1] != data.imageShape[2] {
      throw RuntimeError.invalidArgument(
        command: "model", name: "data", problem: "the zoo's models take square images")
    }
    let footprint = try ModelZoo.footprint(arch, options: options)
    try MemoryBudget.check(
      footprint.trainingBytes(batch: 1),
      for: "\(arch) with \(NumberFormat.grouped(footprint.parameterElements)) parameters "
        + "(to build and train)",
      command: "model", limit: context.options.memoryLimit)
    var rng = context.rng.derived("model")
    let network = try ModelZoo.make(arch, options: options, rng: &rng)
    var line = "model \(arch) \(options.inputChannels)×\(options.inputSize)×\(options.inputSize)"
    line += " → \(options.classes) classes"
    if options.widthMultiplier != 1 { line += ", width \(Figure.format(options.widthMultiplier))" }
    if shortcut != .a { line += ", shortcut \(shortcut.rawValue)" }
    if initialization != .he { line += ", \(initialization.rawValue) init" }
    return ModelValue(network: network).adding(history: line)
  }
}
