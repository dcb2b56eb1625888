import CommandLanguage
import NeuralNet
import Render

extension CommandDefinition {
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
