import Foundation
import NeuralNet
import SwiftProtobuf
import TensorCore

/// Writes a ``NeuralNet/Network`` as a standard ONNX model (opset 13, IR 7) that ONNX Runtime,
/// TensorRT or OpenVINO can run.
///
/// The graph takes `input` (`[N, C, H, W]` float, N dynamic) and gives `logits` (`[N, classes]`).
/// Every Shears operation maps to standard operators: conv → `Conv`, batch norm →
/// `BatchNormalization` (inference form), pools → `MaxPool` / `AveragePool`
/// (`count_include_pad=1`) / `GlobalAveragePool`, `Add`, `Relu`, flatten → `Flatten`, linear →
/// `Gemm` (`transB=1`). The option-A shortcut becomes a strided `Slice` on H and W and a `Pad`
/// on the channel axis; a shortcut whose channel placement surgery changed pads one zero channel
/// and picks the output channels with `Gather`. Weights are initializers named by their Shears
/// paths (`layer1.0.conv1.weight`), nodes by Shears node names.
///
/// With ``ONNXExportOptions/normalization`` the graph first computes `(x − mean) · (1/std)`
/// (as Shears normalises data sets) and so takes raw images.
///
/// ```swift
/// let bytes = try ONNXExporter.encode(net, options: ONNXExportOptions())
/// ```
public enum ONNXExporter {
  /// The serialized ONNX model of `network`.
  public static func encode(_ network: Network, options: ONNXExportOptions = ONNXExportOptions())
    throws -> [UInt8]
  {
    let model = try model(of: network, options: options)
    do {
      return try model.serializedBytes()
    } catch {
      throw ONNXError.exportFailed(problem: "protobuf encoding failed: \(error)")
    }
  }

  /// The ONNX model message of `network`.
  static func model(of network: Network, options: ONNXExportOptions) throws -> Onnx_ModelProto {
    var graph = Onnx_GraphProto()
    graph.name = network.name
    let channels = network.inputShape[0]
    graph.input = [
      valueInfo(
        "input",
        dims: [.symbol("N")] + network.inputShape.map { ONNXDimension.fixed(Int64($0)) })
    ]
    var names: [String: String] = [Network.inputName: "input"]

    if let stats = options.normalization {
      guard stats.mean.count == channels, stats.std.count == channels else {
        throw ONNXError.exportFailed(
          problem: "the normalisation has \(stats.mean.count) channels, the network's input "
            + "\(channels)")
      }
      let shift = stats.mean.map { Float($0) }
      let scale = stats.std.map { $0 > 0 ? Float(1 / $0) : 1 }
      graph.initializer.append(floatTensor("preprocess.mean", dims: [1, channels, 1, 1], shift))
      graph.initializer.append(floatTensor("preprocess.scale", dims: [1, channels, 1, 1], scale))
      graph.node.append(
        node(
          "preprocess.sub", "Sub", inputs: ["input", "preprocess.mean"], output: "input.centred"))
      graph.node.append(
        node(
          "preprocess.mul", "Mul", inputs: ["input.centred", "preprocess.scale"],
          output: "input.normalized"))
      names[Network.inputName] = "input.normalized"
    }

    for (index, n) in network.nodes.enumerated() {
      let output = index == network.nodes.count - 1 ? "logits" : n.name
      let ins = try n.inputs.map { name -> String in
        guard let value = names[name] else {
          throw ONNXError.exportFailed(problem: "node '\(n.name)' reads unknown '\(name)'")
        }
        return value
      }
      try appendNodes(for: n, inputs: ins, output: output, network: network, to: &graph)
      names[n.name] = output
    }
    graph.output = [valueInfo("logits", dims: [.symbol("N"), .fixed(Int64(network.classes))])]

    var model = Onnx_ModelProto()
    model.irVersion = ONNXFormat.irVersion
    model.producerName = ONNXFormat.producerName
    model.producerVersion = options.producerVersion
    model.docString = "Shears export of \(network.name)"
    var opset = Onnx_OperatorSetIdProto()
    opset.domain = ""
    opset.version = ONNXFormat.opsetVersion
    model.opsetImport = [opset]
    model.graph = graph

    var metadata = options.provenance
    metadata[ONNXFormat.Key.model] = network.name
    metadata[ONNXFormat.Key.fingerprint] = network.fingerprint
    metadata[ONNXFormat.Key.preprocess] = options.normalization == nil ? "false" : "true"
    if let stats = options.normalization {
      metadata[ONNXFormat.Key.normalizationMean] = stats.mean.map { "\($0)" }.joined(
        separator: ",")
      metadata[ONNXFormat.Key.normalizationStd] = stats.std.map { "\($0)" }.joined(separator: ",")
    }
    if let classNames = options.classNames {
      let json = try? JSONEncoder().encode(classNames)
      metadata[ONNXFormat.Key.classNames] = json.flatMap { String(data: $0, encoding: .utf8) }
    }
    model.metadataProps = metadata.keys.sorted().map { key in
      var entry = Onnx_StringStringEntryProto()
      entry.key = key
      entry.value = metadata[key] ?? ""
      return entry
    }
    return model
  }

  /// The ONNX nodes (and their constant initializers) of one Shears node.
  private static func appendNodes(
    for n: Node, inputs: [String], output: String, network: Network,
    to graph: inout Onnx_GraphProto
  ) throws {
    func weight(_ suffix: String) throws -> String {
      let path = n.name + suffix
      let tensor = network.parameters[path] ?? network.buffers[path]
      guard let tensor else {
        throw ONNXError.exportFailed(problem: "node '\(n.name)' has no tensor '\(path)'")
      }
      guard tensor.isPlain else {
        throw ONNXError.exportFailed(problem: "tensor '\(path)' is in a blocked layout")
      }
      graph.initializer.append(floatTensor(path, dims: tensor.shape, tensor.scalars))
      return path
    }
    switch n.operation {
    case .conv(let c):
      var ins = [inputs[0], try weight(".weight")]
      if c.bias { ins.append(try weight(".bias")) }
      graph.node.append(
        node(
          n.name, "Conv", inputs: ins, output: output,
          attributes: [
            .ints("kernel_shape", [c.kernel, c.kernel]), .ints("strides", [c.stride, c.stride]),
            .ints("pads", Array(repeating: c.padding, count: 4)), .ints("dilations", [1, 1]),
            .int("group", 1),
          ]))
    case .batchNorm(let b):
      let ins = [
        inputs[0], try weight(".weight"), try weight(".bias"), try weight(".running_mean"),
        try weight(".running_var"),
      ]
      graph.node.append(
        node(
          n.name, "BatchNormalization", inputs: ins, output: output,
          attributes: [.float("epsilon", b.epsilon), .float("momentum", 1 - b.momentum)]))
    case .relu:
      graph.node.append(node(n.name, "Relu", inputs: inputs, output: output))
    case .maxPool(let p), .avgPool(let p):
      var attributes: [ONNXAttribute] = [
        .ints("kernel_shape", [p.kernel, p.kernel]), .ints("strides", [p.stride, p.stride]),
        .ints("pads", Array(repeating: p.padding, count: 4)), .int("ceil_mode", 0),
      ]
      let isMax: Bool
      if case .maxPool = n.operation { isMax = true } else { isMax = false }
      if !isMax { attributes.append(.int("count_include_pad", 1)) }
      graph.node.append(
        node(
          n.name, isMax ? "MaxPool" : "AveragePool", inputs: inputs, output: output,
          attributes: attributes))
    case .globalAvgPool:
      graph.node.append(node(n.name, "GlobalAveragePool", inputs: inputs, output: output))
    case .add:
      graph.node.append(node(n.name, "Add", inputs: inputs, output: output))
    case .flatten:
      graph.node.append(
        node(n.name, "Flatten", inputs: inputs, output: output, attributes: [.int("axis", 1)]))
    case .linear(let l):
      var ins = [inputs[0], try weight(".weight")]
      if l.bias { ins.append(try weight(".bias")) }
      graph.node.append(
        node(
          n.name, "Gemm", inputs: ins, output: output,
          attributes: [
            .float("alpha", 1), .float("beta", 1), .int("transA", 0), .int("transB", 1),
          ]))
    case .shortcutPad(let s):
      try appendShortcut(n.name, s, input: inputs[0], output: output, to: &graph)
    }
  }

  /// The option-A shortcut: `Slice` (H, W by the stride), then `Pad` on channels — directly to
  /// the output when the input channels stay one contiguous run, else one zero channel and a
  /// `Gather` that places every output channel.
  private static func appendShortcut(
    _ name: String, _ s: ShortcutPadSpec, input: String, output: String,
    to graph: inout Onnx_GraphProto
  ) throws {
    var current = input
    if s.stride > 1 {
      let prefix = name + ".slice"
      graph.initializer.append(int64Tensor(prefix + ".starts", [0, 0]))
      graph.initializer.append(int64Tensor(prefix + ".ends", [Int64.max, Int64.max]))
      graph.initializer.append(int64Tensor(prefix + ".axes", [2, 3]))
      graph.initializer.append(int64Tensor(prefix + ".steps", [Int64(s.stride), Int64(s.stride)]))
      graph.node.append(
        node(
          prefix, "Slice",
          inputs: [
            input, prefix + ".starts", prefix + ".ends", prefix + ".axes", prefix + ".steps",
          ],
          output: prefix))
      current = prefix
    }
    let kept = s.channelMap.enumerated().filter { $0.element >= 0 }
    let offset = s.channelMap.first ?? 0
    let contiguous =
      kept.count == s.inChannels && offset >= 0
      && s.channelMap.enumerated().allSatisfy { $0.element == $0.offset + offset }
      && offset + s.inChannels <= s.outChannels
    let padName = contiguous ? name : name + ".pad"
    let before = contiguous ? offset : 0
    let after = contiguous ? s.outChannels - s.inChannels - offset : 1
    if before == 0 && after == 0 {
      graph.node.append(node(name, "Identity", inputs: [current], output: output))
      return
    }
    graph.initializer.append(
      int64Tensor(padName + ".pads", [0, Int64(before), 0, 0, 0, Int64(after), 0, 0]))
    graph.node.append(
      node(
        padName, "Pad", inputs: [current, padName + ".pads"],
        output: contiguous ? output : padName, attributes: [.string("mode", "constant")]))
    if contiguous { return }
    // Channel `inChannels` of the padded map is the zero channel.
    var indices = [Int64](repeating: Int64(s.inChannels), count: s.outChannels)
    for (i, target) in s.channelMap.enumerated() where target >= 0 {
      guard target < s.outChannels else {
        throw ONNXError.exportFailed(
          problem: "shortcut '\(name)' places channel \(i) at \(target), beyond its "
            + "\(s.outChannels) outputs")
      }
      indices[target] = Int64(i)
    }
    graph.initializer.append(int64Tensor(name + ".indices", indices))
    graph.node.append(
      node(
        name, "Gather", inputs: [padName, name + ".indices"], output: output,
        attributes: [.int("axis", 1)]))
  }

  // MARK: - Message helpers

  static func node(
    _ name: String, _ opType: String, inputs: [String], output: String,
    attributes: [ONNXAttribute] = []
  ) -> Onnx_NodeProto {
    var n = Onnx_NodeProto()
    n.name = name
    n.opType = opType
    n.input = inputs
    n.output = [output]
    n.attribute = attributes.map(\.proto)
    return n
  }

  static func floatTensor(_ name: String, dims: [Int], _ values: [Float]) -> Onnx_TensorProto {
    var t = Onnx_TensorProto()
    t.name = name
    t.dims = dims.map(Int64.init)
    t.dataType = Int32(Onnx_TensorProto.DataType.float.rawValue)
    var raw = Data(capacity: values.count * 4)
    for v in values {
      withUnsafeBytes(of: v.bitPattern.littleEndian) { raw.append(contentsOf: $0) }
    }
    t.rawData = raw
    return t
  }

  static func int64Tensor(_ name: String, _ values: [Int64]) -> Onnx_TensorProto {
    var t = Onnx_TensorProto()
    t.name = name
    t.dims = [Int64(values.count)]
    t.dataType = Int32(Onnx_TensorProto.DataType.int64.rawValue)
    t.int64Data = values
    return t
  }

  static func valueInfo(_ name: String, dims: [ONNXDimension]) -> Onnx_ValueInfoProto {
    var shape = Onnx_TensorShapeProto()
    shape.dim = dims.map { d in
      var dim = Onnx_TensorShapeProto.Dimension()
      switch d {
      case .fixed(let v): dim.dimValue = v
      case .symbol(let s): dim.dimParam = s
      }
      return dim
    }
    var tensorType = Onnx_TypeProto.Tensor()
    tensorType.elemType = Int32(Onnx_TensorProto.DataType.float.rawValue)
    tensorType.shape = shape
    var type = Onnx_TypeProto()
    type.tensorType = tensorType
    var info = Onnx_ValueInfoProto()
    info.name = name
    info.type = type
    return info
  }
}

/// One dimension of a value's declared shape.
enum ONNXDimension {
  case fixed(Int64)
  case symbol(String)
}

/// A node attribute, for building nodes briefly.
enum ONNXAttribute {
  case int(String, Int)
  case ints(String, [Int])
  case float(String, Float)
  case string(String, String)

  var proto: Onnx_AttributeProto {
    var a = Onnx_AttributeProto()
    switch self {
    case .int(let name, let v):
      a.name = name
      a.type = .int
      a.i = Int64(v)
    case .ints(let name, let v):
      a.name = name
      a.type = .ints
      a.ints = v.map(Int64.init)
    case .float(let name, let v):
      a.name = name
      a.type = .float
      a.f = v
    case .string(let name, let v):
      a.name = name
      a.type = .string
      a.s = Data(v.utf8)
    }
    return a
  }
}
