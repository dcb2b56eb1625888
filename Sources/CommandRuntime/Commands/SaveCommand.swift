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
          "path", .text, .preposition("to"), summary: "the file (written atomically)"),
        ParameterSpec(
          "format", .text, .keyword, default: .optional, symbols: ModelFileFormat.symbols,
          summary: "shears (checkpoint) or onnx; default: onnx for .onnx files"),
        ParameterSpec(
          "data", .dataset, .keyword, default: .optional,
          summary: "ONNX: the data set trained on (its normalisation and class names)"),
        ParameterSpec(
          "preprocess", .bool, .keyword, default: .value(.bool(true)),
          summary: "ONNX: normalise in the graph, so the file takes raw [0, 1] images"),
      ],
      result: .nothing,
      summary: "Save a model to a checkpoint file, or as ONNX (.onnx, format=onnx).",
      example: "save m to \"vgg-small.onnx\" data=d"),
    group: .data
  ) { arguments, context in
    let model = try arguments.model("model")
    let path = try arguments.text("path")
    if ModelFileFormat.resolve(path: path, format: try arguments.optionalText("format")) == .onnx {
      context.emit(
        .text(
          try ONNXModelFiles.save(
            model, to: path, data: try arguments.optionalDataset("data"),
            preprocess: try arguments.bool("preprocess"), context: context)))
      return nil
    }
    try Checkpoint.save(model.network, to: path, metadata: model.metadata)
    context.emit(
      .text(
        "saved \(model.network.name) (\(NumberFormat.grouped(model.network.parameterCount)) params) to \(path)"
      ))
    return nil
  }
}
