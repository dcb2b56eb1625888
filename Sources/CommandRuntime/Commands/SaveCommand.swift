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
}
