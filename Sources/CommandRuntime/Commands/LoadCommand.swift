import CommandLanguage
import NeuralNet
import Render

extension CommandDefinition {
  /// `load "file"`: reads a checkpoint or an ONNX model.
  public static let load = CommandDefinition(
    CommandSignature(
      name: "load",
      parameters: [
        ParameterSpec("path", .text, summary: "a checkpoint written by save, or an ONNX model"),
        ParameterSpec(
          "format", .text, .keyword, default: .optional, symbols: ModelFileFormat.symbols,
          summary: "shears (checkpoint) or onnx; default: onnx for .onnx files"),
      ],
      result: .model,
      summary: "Load a model from a checkpoint file or an ONNX model (.onnx, format=onnx).",
      example: "m = load \"resnet20.onnx\""),
    group: .data
  ) { arguments, context in
    let path = try arguments.text("path")
    let source = FileTargets.reading(path, scratch: context.options.scratchFolder)
    if ModelFileFormat.resolve(path: path, format: try arguments.optionalText("format")) == .onnx {
      return try ONNXModelFiles.load(source, context: context)
    }
    let (network, metadata) = try Checkpoint.load(from: source)
    return ModelValue(network: network, metadata: metadata).adding(history: "load \(path)")
  }
}
