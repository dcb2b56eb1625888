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
        ParameterSpec(
          "overwrite", .bool, .keyword, default: .value(.bool(false)),
          summary: "replace the file when it exists (otherwise that is an error)"),
      ],
      result: .nothing,
      summary: "Save a model to a checkpoint file, or as ONNX (.onnx, format=onnx).",
      example: "save m to \"vgg-small.onnx\" data=d"),
    group: .data
  ) { arguments, context in
    let model = try arguments.model("model")
    let path = try arguments.text("path")
    let target = try FileTargets.writing(
      path, overwrite: try arguments.bool("overwrite"), command: "save",
      scratch: context.options.scratchFolder)
    if ModelFileFormat.resolve(path: path, format: try arguments.optionalText("format")) == .onnx {
      let message = try ONNXModelFiles.save(
        model, to: target, data: try arguments.optionalDataset("data"),
        preprocess: try arguments.bool("preprocess"), context: context)
      // What a replay shows names the path as written, not its place in the scratch folder.
      context.emit(.text(message.replacingOccurrences(of: target, with: path)))
      return nil
    }
    try Checkpoint.save(model.network, to: target, metadata: model.metadata)
    context.emit(
      .text(
        "saved \(model.network.name) (\(NumberFormat.grouped(model.network.parameterCount)) params) to \(path)"
      ))
    return nil
  }
}
