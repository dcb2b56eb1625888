import CommandLanguage
import NeuralNet
import Render

extension CommandDefinition {
  /// `save m to "file"`: writes a checkpoint.
  public static let save = CommandDefinition(
    CommandSignature(
      name: "save",
      parameters: [
        ParameterSpec("model", .model, summary: "the model to save"),
        ParameterSpec(
          "path", .text, .preposition("to"), summary: "the checkpoint file (written atomically)"),
      ],
      result: .nothing,
      summary: "Save a model (graph, weights, history) to a checkpoint file.",
      example: "save m to \"vgg-small.ckpt\""),
    group: .data
  ) { arguments, context in
    let model = try arguments.model("model")
    let path = try arguments.text("path")
    try Checkpoint.save(model.network, to: path, metadata: model.metadata)
    context.emit(
      .text(
        "saved \(model.network.name) (\(NumberFormat.grouped(model.network.parameterCount)) params) to \(path)"
      ))
    return nil
  }

  /// `load "file"`: reads a checkpoint.
  public static let load = CommandDefinition(
    CommandSignature(
      name: "load",
      parameters: [ParameterSpec("path", .text, summary: "a checkpoint file written by save")],
      result: .model,
      summary: "Load a model from a checkpoint file.",
      example: "m = load \"vgg-small.ckpt\""),
    group: .data
  ) { arguments, _ in
    let path = try arguments.text("path")
    let (network, metadata) = try Checkpoint.load(from: path)
    return ModelValue(network: network, metadata: metadata).adding(history: "load \(path)")
  }
}
