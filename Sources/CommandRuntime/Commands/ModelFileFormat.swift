/// The file formats `save` writes and `load` reads: Shears checkpoints and ONNX models.
///
/// Chosen by `format=` when given, else by the extension (`.onnx` is ONNX, anything else a
/// checkpoint).
///
/// ```swift
/// ModelFileFormat.resolve(path: "m.onnx", format: nil)  // .onnx
/// ```
public enum ModelFileFormat: String, CaseIterable, Sendable {
  /// The versioned, checksummed Shears checkpoint (``NeuralNet/Checkpoint``).
  case shears
  /// A standard ONNX model (opset 13).
  case onnx

  /// The format named by `format`, or implied by `path`'s extension.
  public static func resolve(path: String, format: String?) -> ModelFileFormat {
    if let format, let explicit = ModelFileFormat(rawValue: format) { return explicit }
    return path.lowercased().hasSuffix(".onnx") ? .onnx : .shears
  }

  /// The symbols the `format` parameter accepts.
  public static var symbols: [String] { allCases.map(\.rawValue) }
}
