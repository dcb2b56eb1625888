/// Why an ONNX file could not be read or a network could not be written as ONNX, with a message
/// a user can act on. `path` names the file (or `(in memory)`).
public enum ONNXError: Error, CustomStringConvertible, Equatable {
  /// The file could not be read (missing, a directory, no permission).
  case unreadable(path: String, problem: String)
  /// The bytes end in the middle of a protobuf field: the file was cut short.
  case truncated(path: String)
  /// The bytes are not a protobuf message at all (a text file, an image, a checkpoint …).
  case notProtobuf(path: String, detail: String)
  /// A protobuf message, but not an ONNX model Shears can read (no graph, no opset, an opset
  /// too old, a data type other than float).
  case notAModel(path: String, problem: String)
  /// A node whose operator is outside the supported set.
  case unsupportedOperator(path: String, node: String, opType: String, supported: [String])
  /// A supported operator used with attributes or inputs Shears cannot represent (dilation,
  /// groups, rectangular kernels, a Pad that is not a channel pad …).
  case unsupportedUse(path: String, node: String, opType: String, problem: String)
  /// An input dimension other than the batch is not a fixed number.
  case dynamicShape(path: String, input: String, axis: Int, symbol: String)
  /// The graph is inconsistent (an input nobody produces, a missing initializer, a shape that
  /// does not fit).
  case invalidGraph(path: String, problem: String)
  /// The network cannot be written as ONNX.
  case exportFailed(problem: String)

  /// The operator types the importer reads, in the order the message lists them.
  public static let supportedOperators = [
    "Conv", "BatchNormalization", "Relu", "MaxPool", "AveragePool", "GlobalAveragePool",
    "ReduceMean", "Add", "Sub", "Mul", "Div", "Flatten", "Reshape", "Gemm", "Slice", "Pad",
    "Gather", "Identity", "Constant", "Shape", "Unsqueeze", "Concat", "Squeeze", "Cast", "Dropout",
    "ConstantOfShape", "Transpose", "Neg",
  ]

  public var description: String {
    switch self {
    case .unreadable(let path, let problem): return "\(path): \(problem)"
    case .truncated(let path):
      return "\(path): the ONNX file is truncated (it ends in the middle of a field); "
        + "export or copy it again"
    case .notProtobuf(let path, let detail):
      return "\(path): not an ONNX file (the bytes are not a protobuf message: \(detail))"
    case .notAModel(let path, let problem):
      return "\(path): not an ONNX model Shears reads: \(problem)"
    case .unsupportedOperator(let path, let node, let opType, let supported):
      return "\(path): node '\(node)' is a \(opType), which Shears does not import; supported: "
        + supported.joined(separator: ", ")
    case .unsupportedUse(let path, let node, let opType, let problem):
      return "\(path): node '\(node)' (\(opType)): \(problem)"
    case .dynamicShape(let path, let input, let axis, let symbol):
      return "\(path): input '\(input)' has a dynamic size '\(symbol)' on axis \(axis); Shears "
        + "needs fixed channels, height and width (only the batch axis may be dynamic) — export "
        + "with a fixed input size"
    case .invalidGraph(let path, let problem): return "\(path): invalid ONNX graph: \(problem)"
    case .exportFailed(let problem): return "cannot write ONNX: \(problem)"
    }
  }
}
