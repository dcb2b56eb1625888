import Datasets
import Foundation
import NeuralNet
import TensorCore

/// Walks an ONNX graph in its (topological) node order and builds the Shears nodes, following
/// each ONNX value as one of a few kinds: a feature map some Shears node computes, a constant,
/// a shape vector (for flatten chains), an option-A shortcut in the making, or the input under
/// normalisation.
struct ONNXGraphReader {
  /// One entry of a shape vector: a fixed size, or the (dynamic) batch size.
  enum ShapeEntry: Equatable {
    case batch
    case fixed(Int64)
  }

  /// An option-A shortcut being assembled from Slice / Pad / Gather nodes.
  struct PendingShortcut {
    /// The feature map it reads.
    var source: String
    /// `[C, H, W]` of the source.
    var sourceShape: [Int]
    /// Strides on H and W so far.
    var strideH: Int
    var strideW: Int
    /// For each current channel, the source channel it copies, or −1 for a zero channel.
    var map: [Int]
    /// The name the Shears node gets (the last ONNX node of the chain).
    var name: String

    var shape: [Int] {
      [
        map.count, (sourceShape[1] + strideH - 1) / strideH,
        (sourceShape[2] + strideW - 1) / strideW,
      ]
    }
  }

  /// What an ONNX value is.
  enum Value {
    /// The output of Shears node `node` (or the input), per-sample shape `shape`.
    case map(node: String, shape: [Int])
    case constant(ONNXConstant)
    case shape([ShapeEntry])
    case shortcut(PendingShortcut)
    /// The graph input with a normalisation applied so far (`x − mean`, then `· scale`).
    case normalizing(mean: [Float], scale: [Float])
  }

  let graph: Onnx_GraphProto
  let path: String
  let opset: Int64
  private var values: [String: Value] = [:]
  private var builder: NetworkBuilder
  private var parameters: [String: Tensor] = [:]
  private var buffers: [String: Tensor] = [:]
  private var usedNames: Set<String> = [Network.inputName]
  private var materialized: [String: String] = [:]
  private var normalization: (mean: [Float], scale: [Float])?
  private var rawInputUsed = false
  /// Convolutions with a bias whose weight or bias the exporter made (PyTorch names what it
  /// folded batch norm into `onnx::Conv_…` or `<module>.weight_bias`, not `<module>.bias`).
  private(set) var foldedConvolutions = 0
  private let inputShape: [Int]
  private let inputName: String
  /// The input's batch size when the graph fixes it (then `[batch, -1]` reshapes flatten).
  private let inputBatch: Int64?

  init(graph: Onnx_GraphProto, path: String, opset: Int64, directory: String? = nil) throws {
    self.graph = graph
    self.path = path
    self.opset = opset
    var initializerNames: Set<String> = []
    var constants: [String: Value] = [:]
    for t in graph.initializer {
      let c = try ONNXConstant(t, directory: directory) {
        ONNXError.invalidGraph(path: path, problem: $0)
      }
      constants[t.name] = .constant(c)
      initializerNames.insert(t.name)
    }
    let inputs = graph.input.filter { !initializerNames.contains($0.name) }
    guard inputs.count == 1, let input = inputs.first else {
      throw ONNXError.invalidGraph(
        path: path,
        problem: "Shears imports graphs with one image input; this one has \(inputs.count) ("
          + inputs.map(\.name).joined(separator: ", ") + ")")
    }
    guard input.type.tensorType.elemType == Int32(Onnx_TensorProto.DataType.float.rawValue) else {
      throw ONNXError.invalidGraph(
        path: path,
        problem: "input '\(input.name)' has element type \(input.type.tensorType.elemType); "
          + "Shears reads float (1) inputs")
    }
    let dims = input.type.tensorType.shape.dim
    guard input.type.tensorType.hasShape, dims.count == 4 else {
      throw ONNXError.invalidGraph(
        path: path,
        problem: "input '\(input.name)' must be a [N, C, H, W] image batch; its shape has "
          + "\(dims.count) axes")
    }
    var shape: [Int] = []
    for axis in 1..<4 {
      let d = dims[axis]
      guard case .dimValue(let size)? = d.value, size > 0 else {
        var symbol = "?"
        if case .dimParam(let p)? = d.value { symbol = p }
        throw ONNXError.dynamicShape(path: path, input: input.name, axis: axis, symbol: symbol)
      }
      shape.append(Int(size))
    }
    self.inputShape = shape
    if case .dimValue(let n)? = dims[0].value, n > 0 { inputBatch = n } else { inputBatch = nil }
    self.inputName = input.name
    self.builder = NetworkBuilder(inputShape: shape, rng: SeededRNG(seed: 0))
    values = constants
    values[input.name] = .map(node: Network.inputName, shape: shape)
  }

  // MARK: - The walk

  /// Builds the network; returns it with the normalisation found at the input.
  mutating func read(name: String) throws -> (Network, ChannelStatistics?) {
    for node in graph.node {
      try visit(node)
    }
    guard graph.output.count == 1, let output = graph.output.first else {
      throw ONNXError.invalidGraph(
        path: path,
        problem: "Shears imports graphs with one output; this one has \(graph.output.count)")
    }
    let last = try mapName(output.name, consumer: "the graph output")
    guard let shape = builder.shape(of: last), shape.count == 1, shape[0] >= 2 else {
      throw ONNXError.invalidGraph(
        path: path,
        problem: "the output '\(output.name)' must be one vector of class scores per image; it "
          + "has per-image shape \(builder.shape(of: last) ?? [])")
    }
    if rawInputUsed && normalization != nil {
      throw ONNXError.invalidGraph(
        path: path, problem: "the graph reads its input both normalised and raw")
    }
    let nodes = reachable(from: last)
    let kept = Set(nodes.map(\.name))
    let network: Network
    do {
      network = try Network(
        name: name, inputShape: inputShape, classes: shape[0], nodes: nodes,
        parameters: parameters.filter { kept.contains(owner(of: $0.key, in: kept)) },
        buffers: buffers.filter { kept.contains(owner(of: $0.key, in: kept)) })
    } catch {
      throw ONNXError.invalidGraph(path: path, problem: "\(error)")
    }
    var stats: ChannelStatistics? = nil
    if let n = normalization {
      stats = ChannelStatistics(
        mean: n.mean.map { Double($0) }, std: n.scale.map { $0 == 0 ? 0 : 1 / Double($0) })
    }
    return (network, stats)
  }

  /// The node a parameter path belongs to (its longest node-name prefix).
  private func owner(of path: String, in names: Set<String>) -> String {
    var candidate = path
    while let dot = candidate.lastIndex(of: ".") {
      candidate = String(candidate[..<dot])
      if names.contains(candidate) { return candidate }
    }
    return path
  }

  /// The nodes the output depends on, in order.
  private func reachable(from last: String) -> [Node] {
    let all = builder.nodes
    var needed: Set<String> = [last]
    for node in all.reversed() where needed.contains(node.name) {
      needed.formUnion(node.inputs)
    }
    return all.filter { needed.contains($0.name) }
  }

  private func fail(_ node: Onnx_NodeProto, _ problem: String) -> ONNXError {
    .unsupportedUse(path: path, node: displayName(node), opType: node.opType, problem: problem)
  }

  private func displayName(_ node: Onnx_NodeProto) -> String {
    node.name.isEmpty ? (node.output.first ?? "?") : node.name
  }

  private func value(_ name: String, for node: Onnx_NodeProto) throws -> Value {
    guard let v = values[name] else {
      throw ONNXError.invalidGraph(
        path: path,
        problem: "node '\(displayName(node))' reads '\(name)', which no earlier node or "
          + "initializer provides")
    }
    return v
  }

  private func constant(_ node: Onnx_NodeProto, input index: Int) throws -> ONNXConstant? {
    guard index < node.input.count, !node.input[index].isEmpty else { return nil }
    guard case .constant(let c) = try value(node.input[index], for: node) else {
      throw fail(node, "input \(index) ('\(node.input[index])') must be a constant")
    }
    return c
  }

  private mutating func setOutput(_ node: Onnx_NodeProto, _ value: Value) {
    if let out = node.output.first { values[out] = value }
  }

  private mutating func visit(_ node: Onnx_NodeProto) throws {
    guard node.domain.isEmpty || node.domain == "ai.onnx" else {
      throw ONNXError.unsupportedOperator(
        path: path, node: displayName(node), opType: node.domain + "." + node.opType,
        supported: ONNXError.supportedOperators)
    }
    let attributes = ONNXAttributes(node)
    if ONNXConstantFolding.operators.contains(node.opType), !node.input.isEmpty {
      var constants: [ONNXConstant?] = []
      for name in node.input {
        if name.isEmpty {
          constants.append(nil)
        } else if case .constant(let c) = try value(name, for: node) {
          constants.append(c)
        } else {
          break
        }
      }
      if constants.count == node.input.count {
        do {
          setOutput(
            node, .constant(try ONNXConstantFolding.fold(node.opType, constants, attributes)))
        } catch let failure as ONNXConstantFolding.Failure {
          throw fail(node, "cannot evaluate its constant inputs: \(failure.problem)")
        }
        return
      }
    }
    switch node.opType {
    case "Identity", "Dropout", "Cast":
      if node.opType == "Cast", let to = attributes.int("to"),
        case .map = try value(node.input[0], for: node),
        to != Int64(Onnx_TensorProto.DataType.float.rawValue)
      {
        throw fail(node, "casts a feature map to data type \(to); Shears computes in float")
      }
      if node.opType == "Dropout", node.output.count > 1, node.output[1] != "" {
        // The mask output is never used by inference graphs; leave it undefined.
      }
      setOutput(node, try value(node.input[0], for: node))
    case "Constant":
      setOutput(node, .constant(try constantValue(node, attributes)))
    case "Conv":
      try conv(node, attributes)
    case "BatchNormalization":
      try batchNorm(node, attributes)
    case "Relu":
      try unary(node, .relu, kind: "relu")
    case "MaxPool", "AveragePool":
      try pool(node, attributes)
    case "GlobalAveragePool":
      try unary(node, .globalAvgPool, kind: "pool")
    case "ReduceMean":
      try reduceMean(node, attributes)
    case "Add":
      try add(node)
    case "Sub", "Mul", "Div":
      try normalize(node)
    case "Flatten":
      guard (attributes.int("axis") ?? 1) == 1 else {
        throw fail(
          node, "flattens from axis \(attributes.int("axis") ?? 1); Shears flattens from 1")
      }
      try unary(node, .flatten, kind: "flatten")
    case "Reshape":
      try reshape(node)
    case "Gemm":
      try gemm(node, attributes)
    case "Shape":
      try shapeOf(node, attributes)
    case "Gather":
      try gather(node, attributes)
    case "Unsqueeze", "Squeeze":
      switch try value(node.input[0], for: node) {
      case .shape(let s): setOutput(node, .shape(s))
      case .constant(let c): setOutput(node, .constant(ONNXConstant(ints: c.integers ?? [])))
      default:
        throw fail(node, "only shape vectors (flatten chains) may be squeezed or unsqueezed")
      }
    case "Concat":
      var entries: [ShapeEntry] = []
      for name in node.input {
        switch try value(name, for: node) {
        case .shape(let s): entries += s
        case .constant(let c): entries += (c.integers ?? []).map { .fixed($0) }
        default: throw fail(node, "only shape vectors (flatten chains) may be concatenated")
        }
      }
      setOutput(node, .shape(entries))
    case "Slice":
      try slice(node, attributes)
    case "Pad":
      try pad(node, attributes)
    default:
      throw ONNXError.unsupportedOperator(
        path: path, node: displayName(node), opType: node.opType,
        supported: ONNXError.supportedOperators)
    }
  }

  // MARK: - Naming

  /// A unique Shears node name: from a weight initializer (`x.conv1.weight` → `x.conv1`), else
  /// from PyTorch's scope path, else the kind and a number.
  private mutating func uniqueName(_ node: Onnx_NodeProto, kind: String, weight: String? = nil)
    -> String
  {
    var base = ""
    if let weight, weight.hasSuffix(".weight"), !weight.hasPrefix("onnx::") {
      base = String(weight.dropLast(".weight".count))
    }
    if base.isEmpty { base = scopeName(node.name) }
    if base.isEmpty { base = kind }
    var name = base
    if usedNames.contains(name) { name = base + "." + kind }
    var k = 2
    while usedNames.contains(name) {
      name = base + "." + kind + "_\(k)"
      k += 1
    }
    usedNames.insert(name)
    return name
  }

  /// `/layer1/layer1.0/relu/Relu` → `layer1.0.relu`; `layer1.0.conv1` stays.
  private func scopeName(_ raw: String) -> String {
    guard raw.contains("/") else { return raw }
    var parts = raw.split(separator: "/").map(String.init)
    if parts.count > 1 { parts.removeLast() }  // the operator's own name
    var joined = ""
    for part in parts {
      if joined.isEmpty || part.hasPrefix(joined + ".") {
        joined = part
      } else {
        joined += "." + part
      }
    }
    return joined
  }

  // MARK: - Maps

  /// The Shears node computing value `name` (making the pending shortcut or noting the
  /// normalisation it needs).
  private mutating func mapName(_ name: String, consumer: String) throws -> String {
    guard let v = values[name] else {
      throw ONNXError.invalidGraph(
        path: path, problem: "\(consumer) reads '\(name)', which no node provides")
    }
    switch v {
    case .map(let node, _):
      if node == Network.inputName { rawInputUsed = true }
      return node
    case .normalizing(let mean, let scale):
      normalization = (mean, scale)
      return Network.inputName
    case .shortcut(let s):
      if let done = materialized[name] { return done }
      let made = try makeShortcut(s, consumer: consumer)
      materialized[name] = made
      return made
    case .constant, .shape:
      throw ONNXError.invalidGraph(
        path: path,
        problem: "\(consumer) reads '\(name)' as a feature map, but it is a constant")
    }
  }

  private mutating func input(_ node: Onnx_NodeProto, _ index: Int = 0) throws -> String {
    guard index < node.input.count else {
      throw ONNXError.invalidGraph(
        path: path, problem: "node '\(displayName(node))' has no input \(index)")
    }
    return try mapName(node.input[index], consumer: "node '\(displayName(node))'")
  }

  /// Adds a Shears node and records its output value.
  @discardableResult
  private mutating func add(
    _ node: Onnx_NodeProto, _ name: String, _ op: NeuralNet.Operation, inputs: [String]
  ) throws -> String {
    do {
      try builder.add(name, op, inputs: inputs)
    } catch {
      throw fail(node, "\(error)")
    }
    setOutput(node, .map(node: name, shape: builder.shape(of: name) ?? []))
    return name
  }

  private func shape(of map: String) -> [Int] { builder.shape(of: map) ?? [] }

  private mutating func unary(_ node: Onnx_NodeProto, _ op: NeuralNet.Operation, kind: String)
    throws
  {
    let x = try input(node)
    try add(node, uniqueName(node, kind: kind), op, inputs: [x])
  }

  private mutating func add(_ node: Onnx_NodeProto) throws {
    guard node.input.count == 2 else { throw fail(node, "needs two inputs") }
    for name in node.input {
      switch try value(name, for: node) {
      case .constant:
        throw fail(
          node,
          "adds a constant ('\(name)'); Shears adds two feature maps only (a bias belongs "
            + "to a Conv or Gemm)")
      default: break
      }
    }
    let a = try input(node, 0)
    let b = try input(node, 1)
    guard shape(of: a) == shape(of: b) else {
      throw fail(node, "adds maps of shapes \(shape(of: a)) and \(shape(of: b))")
    }
    try add(node, uniqueName(node, kind: "add"), .add, inputs: [a, b])
  }

  // MARK: - Layers with weights

  private func floats(_ c: ONNXConstant, _ node: Onnx_NodeProto, _ what: String) throws -> [Float] {
    guard let f = c.reals else { throw fail(node, "\(what) has no values") }
    return f
  }

  private mutating func conv(_ node: Onnx_NodeProto, _ attributes: ONNXAttributes) throws {
    let x = try input(node)
    guard let w = try constant(node, input: 1), w.dims.count == 4 else {
      throw fail(node, "the weight must be a constant 4-D tensor (initializer)")
    }
    let (out, cin, kh, kw) = (w.dims[0], w.dims[1], w.dims[2], w.dims[3])
    guard kh == kw else { throw fail(node, "has a \(kh)×\(kw) kernel; Shears needs square ones") }
    guard (attributes.int("group") ?? 1) == 1 else {
      throw fail(node, "is a grouped convolution (group \(attributes.int("group") ?? 1))")
    }
    guard (attributes.ints("dilations") ?? [1, 1]).allSatisfy({ $0 == 1 }) else {
      throw fail(node, "is dilated; Shears convolutions have dilation 1")
    }
    try checkAutoPad(node, attributes)
    let strides = attributes.ints("strides") ?? [1, 1]
    guard strides.count == 2, strides[0] == strides[1], strides[0] > 0 else {
      throw fail(node, "has strides \(strides); Shears needs one stride for H and W")
    }
    let pads = attributes.ints("pads") ?? [0, 0, 0, 0]
    guard pads.count == 4, Set(pads).count == 1, pads[0] >= 0 else {
      throw fail(node, "has pads \(pads); Shears pads all four sides alike")
    }
    let bias = try constant(node, input: 2)
    if let bias, bias.count != out {
      throw fail(node, "the bias has \(bias.count) values, not \(out)")
    }
    if bias != nil, !node.input[1].hasSuffix(".weight") || !node.input[2].hasSuffix(".bias") {
      foldedConvolutions += 1
    }
    let name = uniqueName(node, kind: "conv", weight: node.input[1])
    parameters[name + ".weight"] = Tensor(shape: w.dims, scalars: try floats(w, node, "the weight"))
    if let bias {
      parameters[name + ".bias"] = Tensor(shape: [out], scalars: try floats(bias, node, "the bias"))
    }
    try add(
      node, name,
      .conv(
        ConvSpec(
          inChannels: cin, outChannels: out, kernel: kh, stride: Int(strides[0]),
          padding: Int(pads[0]), bias: bias != nil)), inputs: [x])
  }

  private func checkAutoPad(_ node: Onnx_NodeProto, _ attributes: ONNXAttributes) throws {
    if let autoPad = attributes.string("auto_pad"), autoPad != "NOTSET", !autoPad.isEmpty {
      throw fail(node, "uses auto_pad=\(autoPad); export with explicit pads")
    }
  }

  private mutating func batchNorm(_ node: Onnx_NodeProto, _ attributes: ONNXAttributes) throws {
    if (attributes.int("training_mode") ?? 0) != 0 {
      throw fail(node, "was exported in training mode; export the model after model.eval()")
    }
    let x = try input(node)
    var tensors: [[Float]] = []
    for i in 1...4 {
      guard let c = try constant(node, input: i), c.dims.count == 1 else {
        throw fail(node, "input \(i) (scale, bias, mean, variance) must be a constant vector")
      }
      tensors.append(try floats(c, node, "input \(i)"))
    }
    let channels = tensors[0].count
    guard tensors.allSatisfy({ $0.count == channels }), shape(of: x).first == channels else {
      throw fail(
        node, "its vectors do not all have the \(shape(of: x).first ?? 0) channels of its input")
    }
    let epsilon = attributes.float("epsilon") ?? 1e-5
    let onnxMomentum = Double(attributes.float("momentum") ?? 0.9)
    let momentum = Float(((1 - onnxMomentum) * 1e6).rounded() / 1e6)
    let name = uniqueName(node, kind: "bn", weight: node.input[1])
    parameters[name + ".weight"] = Tensor(shape: [channels], scalars: tensors[0])
    parameters[name + ".bias"] = Tensor(shape: [channels], scalars: tensors[1])
    buffers[name + ".running_mean"] = Tensor(shape: [channels], scalars: tensors[2])
    buffers[name + ".running_var"] = Tensor(shape: [channels], scalars: tensors[3])
    try add(
      node, name,
      .batchNorm(BatchNormSpec(channels: channels, epsilon: epsilon, momentum: momentum)),
      inputs: [x])
  }

  private mutating func gemm(_ node: Onnx_NodeProto, _ attributes: ONNXAttributes) throws {
    let x = try input(node)
    guard (attributes.int("transA") ?? 0) == 0 else { throw fail(node, "has transA=1") }
    guard let b = try constant(node, input: 1), b.dims.count == 2 else {
      throw fail(node, "the weight (input B) must be a constant matrix")
    }
    let transB = (attributes.int("transB") ?? 0) != 0
    let alpha = attributes.float("alpha") ?? 1
    let beta = attributes.float("beta") ?? 1
    let (out, inFeatures) = transB ? (b.dims[0], b.dims[1]) : (b.dims[1], b.dims[0])
    var weight = try floats(b, node, "the weight")
    if !transB {
      var t = [Float](repeating: 0, count: weight.count)
      for i in 0..<inFeatures {
        for o in 0..<out { t[o * inFeatures + i] = weight[i * out + o] }
      }
      weight = t
    }
    if alpha != 1 { weight = weight.map { $0 * alpha } }
    guard shape(of: x) == [inFeatures] else {
      throw fail(
        node,
        "multiplies a map of per-image shape \(shape(of: x)) by a \(inFeatures)-input "
          + "matrix (flatten first)")
    }
    var bias: [Float]? = nil
    if let c = try constant(node, input: 2) {
      guard c.count == out else { throw fail(node, "the bias has \(c.count) values, not \(out)") }
      bias = try floats(c, node, "the bias").map { $0 * beta }
    }
    let name = uniqueName(node, kind: "linear", weight: node.input[1])
    parameters[name + ".weight"] = Tensor(shape: [out, inFeatures], scalars: weight)
    if let bias { parameters[name + ".bias"] = Tensor(shape: [out], scalars: bias) }
    try add(
      node, name, .linear(LinearSpec(inFeatures: inFeatures, outFeatures: out, bias: bias != nil)),
      inputs: [x])
  }

  // MARK: - Pools

  private mutating func pool(_ node: Onnx_NodeProto, _ attributes: ONNXAttributes) throws {
    let x = try input(node)
    guard let kernel = attributes.ints("kernel_shape"), kernel.count == 2, kernel[0] == kernel[1]
    else { throw fail(node, "needs a square kernel_shape") }
    let strides = attributes.ints("strides") ?? [1, 1]
    guard strides.count == 2, strides[0] == strides[1], strides[0] > 0 else {
      throw fail(node, "has strides \(strides); Shears needs one stride for H and W")
    }
    let pads = attributes.ints("pads") ?? [0, 0, 0, 0]
    guard pads.count == 4, Set(pads).count == 1, pads[0] >= 0 else {
      throw fail(node, "has pads \(pads); Shears pads all four sides alike")
    }
    try checkAutoPad(node, attributes)
    guard (attributes.int("ceil_mode") ?? 0) == 0 else {
      throw fail(node, "uses ceil_mode=1; Shears pools round down")
    }
    guard (attributes.ints("dilations") ?? [1, 1]).allSatisfy({ $0 == 1 }) else {
      throw fail(node, "is dilated")
    }
    let spec = PoolSpec(kernel: Int(kernel[0]), stride: Int(strides[0]), padding: Int(pads[0]))
    if node.opType == "MaxPool" {
      guard node.output.count < 2 || node.output[1].isEmpty else {
        throw fail(node, "also returns indices, which Shears does not compute")
      }
      try add(node, uniqueName(node, kind: "maxpool"), .maxPool(spec), inputs: [x])
    } else {
      if pads[0] > 0 && (attributes.int("count_include_pad") ?? 0) == 0 {
        throw fail(
          node, "averages without counting padding (count_include_pad=0); Shears counts it")
      }
      let h = shape(of: x).count == 3 ? shape(of: x)[1] : -1
      let w = shape(of: x).count == 3 ? shape(of: x)[2] : -2
      if pads[0] == 0, Int(kernel[0]) == h, h == w {
        try add(node, uniqueName(node, kind: "pool"), .globalAvgPool, inputs: [x])
      } else {
        try add(node, uniqueName(node, kind: "avgpool"), .avgPool(spec), inputs: [x])
      }
    }
  }

  private mutating func reduceMean(_ node: Onnx_NodeProto, _ attributes: ONNXAttributes) throws {
    var axes = attributes.ints("axes")
    if axes == nil, node.input.count > 1 { axes = try constant(node, input: 1)?.integers }
    guard let axes, Set(axes.map { $0 < 0 ? $0 + 4 : $0 }) == [2, 3] else {
      throw fail(node, "averages over axes other than H and W")
    }
    let x = try input(node)
    let name = uniqueName(node, kind: "pool")
    if (attributes.int("keepdims") ?? 1) != 0 {
      try add(node, name, .globalAvgPool, inputs: [x])
    } else {
      try builder.add(name, .globalAvgPool, inputs: [x])
      let flat = uniqueName(node, kind: "flatten")
      try add(node, flat, .flatten, inputs: [name])
    }
  }

  // MARK: - Flatten chains

  private mutating func shapeOf(_ node: Onnx_NodeProto, _ attributes: ONNXAttributes) throws {
    let perImage: [Int]
    switch try value(node.input[0], for: node) {
    case .map(_, let s): perImage = s
    case .shortcut(let s): perImage = s.shape
    case .normalizing: perImage = inputShape
    default: throw fail(node, "reads the shape of a constant")
    }
    var entries: [ShapeEntry] = [.batch] + perImage.map { .fixed(Int64($0)) }
    let start = Int(attributes.int("start") ?? 0)
    let end = Int(attributes.int("end") ?? Int64(entries.count))
    let n = entries.count
    let lo = max(0, min(n, start < 0 ? start + n : start))
    let hi = max(lo, min(n, end < 0 ? end + n : end))
    entries = Array(entries[lo..<hi])
    let fixed = entries.compactMap { if case .fixed(let v) = $0 { v } else { nil } }
    setOutput(
      node, fixed.count == entries.count ? .constant(ONNXConstant(ints: fixed)) : .shape(entries))
  }

  private mutating func reshape(_ node: Onnx_NodeProto) throws {
    let x = try input(node)
    let target: [ShapeEntry]
    switch try value(node.input[1], for: node) {
    case .shape(let s): target = s
    case .constant(let c): target = (c.integers ?? []).map { .fixed($0) }
    default: throw fail(node, "the target shape must be a constant or computed from Shape")
    }
    guard let elements = shape(of: x).elementCount else {
      throw fail(node, "its input's shape \(shape(of: x)) has more values than any tensor can")
    }
    let features = Int64(elements)
    let firstIsBatch: Bool
    switch target.first {
    case .batch, .fixed(0), .fixed(-1): firstIsBatch = true
    case .fixed(let n):
      firstIsBatch =
        n > 0 && target.count == 2 && (target[1] == .fixed(features) || n == inputBatch)
    case nil: firstIsBatch = false
    }
    let secondFlattens =
      target.count == 2 && (target[1] == .fixed(-1) || target[1] == .fixed(features))
    guard firstIsBatch, secondFlattens, !(target[0] == .fixed(-1) && target[1] == .fixed(-1)) else {
      throw fail(
        node,
        "reshapes to \(target.map { if case .fixed(let v) = $0 { "\(v)" } else { "N" } }); "
          + "Shears imports only reshapes that flatten each image ([N, -1])")
    }
    try add(node, uniqueName(node, kind: "flatten"), .flatten, inputs: [x])
  }

  private mutating func gather(_ node: Onnx_NodeProto, _ attributes: ONNXAttributes) throws {
    let axis = attributes.int("axis") ?? 0
    guard let indexConstant = try constant(node, input: 1), let indices = indexConstant.integers
    else { throw fail(node, "the indices must be constant") }
    switch try value(node.input[0], for: node) {
    case .shape(let entries):
      var picked: [ShapeEntry] = []
      for i in indices {
        let j = Int(i < 0 ? i + Int64(entries.count) : i)
        guard j >= 0, j < entries.count else { throw fail(node, "index \(i) is out of range") }
        picked.append(entries[j])
      }
      setOutput(node, .shape(picked))
    case .constant(let c):
      guard let v = c.integers else { throw fail(node, "gathers from a float constant") }
      setOutput(
        node,
        .constant(ONNXConstant(ints: indices.map { v[Int($0 < 0 ? $0 + Int64(v.count) : $0)] })))
    default:
      guard axis == 1 || axis == -3 else {
        throw fail(
          node, "gathers a feature map on axis \(axis); Shears picks channels (axis 1) only")
      }
      var s = try pending(node)
      var map: [Int] = []
      for i in indices {
        let j = Int(i < 0 ? i + Int64(s.map.count) : i)
        guard j >= 0, j < s.map.count else { throw fail(node, "channel \(i) is out of range") }
        map.append(s.map[j])
      }
      s.map = map
      s.name = scopeName(node.name).isEmpty ? s.name : scopeName(node.name)
      setOutput(node, .shortcut(s))
    }
  }

  // MARK: - Option-A shortcut

  /// The pending shortcut value of input 0 (a plain map starts a new one).
  private mutating func pending(_ node: Onnx_NodeProto) throws -> PendingShortcut {
    switch try value(node.input[0], for: node) {
    case .shortcut(let s): return s
    case .map(let name, let shape):
      if name == Network.inputName { rawInputUsed = true }
      guard shape.count == 3 else {
        throw fail(node, "slices or pads a vector; Shears does this to C×H×W maps only")
      }
      return PendingShortcut(
        source: name, sourceShape: shape, strideH: 1, strideW: 1, map: Array(0..<shape[0]),
        name: scopeName(node.name))
    case .normalizing:
      let name = try input(node)
      return PendingShortcut(
        source: name, sourceShape: inputShape, strideH: 1, strideW: 1,
        map: Array(0..<inputShape[0]), name: scopeName(node.name))
    default:
      throw fail(node, "Shears slices and pads feature maps and shape vectors only")
    }
  }

  private mutating func slice(_ node: Onnx_NodeProto, _ attributes: ONNXAttributes) throws {
    guard let starts = try constant(node, input: 1)?.integers,
      let ends = try constant(node, input: 2)?.integers, starts.count == ends.count
    else { throw fail(node, "starts and ends must be constant inputs of the same length") }
    let axes = try constant(node, input: 3)?.integers ?? (0..<Int64(starts.count)).map { $0 }
    let steps = try constant(node, input: 4)?.integers ?? Array(repeating: 1, count: starts.count)
    guard axes.count == starts.count, steps.count == starts.count else {
      throw fail(node, "starts, ends, axes and steps differ in length")
    }
    if case .shape(let entries) = try value(node.input[0], for: node) {
      guard axes == [0], steps == [1] else { throw fail(node, "slices a shape vector oddly") }
      let n = Int64(entries.count)
      let lo = Int(max(0, min(n, starts[0] < 0 ? starts[0] + n : starts[0])))
      let hi = Int(max(Int64(lo), min(n, ends[0] < 0 ? ends[0] + n : ends[0])))
      setOutput(node, .shape(Array(entries[lo..<hi])))
      return
    }
    var s = try pending(node)
    for k in 0..<axes.count {
      let axis = axes[k] < 0 ? axes[k] + 4 : axes[k]
      let step = steps[k]
      guard step > 0 else { throw fail(node, "slices backwards (step \(step))") }
      switch axis {
      case 0:
        guard starts[k] == 0, ends[k] >= Int64(Int32.max), step == 1 else {
          throw fail(node, "slices the batch axis")
        }
      case 1:
        let n = Int64(s.map.count)
        let lo = max(0, min(n, starts[k] < 0 ? starts[k] + n : starts[k]))
        let hi = max(lo, min(n, ends[k] < 0 ? ends[k] + n : ends[k]))
        s.map = stride(from: Int(lo), to: Int(hi), by: Int(step)).map { s.map[$0] }
        guard !s.map.isEmpty else { throw fail(node, "keeps no channel") }
      case 2, 3:
        let size = Int64(axis == 2 ? s.shape[1] : s.shape[2])
        guard starts[k] == 0, ends[k] >= size else {
          throw fail(
            node,
            "crops axis \(axis) (\(starts[k])..<\(ends[k])); Shears only subsamples whole "
              + "maps from 0")
        }
        if axis == 2 { s.strideH *= Int(step) } else { s.strideW *= Int(step) }
      default:
        throw fail(node, "slices axis \(axes[k]) of a 4-D map")
      }
    }
    let scoped = scopeName(node.name)
    if !scoped.isEmpty { s.name = scoped }
    setOutput(node, .shortcut(s))
  }

  private mutating func pad(_ node: Onnx_NodeProto, _ attributes: ONNXAttributes) throws {
    let mode = attributes.string("mode") ?? "constant"
    guard mode == "constant" else { throw fail(node, "pads in mode '\(mode)'; Shears pads zeros") }
    var pads = attributes.ints("pads")
    if node.input.count > 1, !node.input[1].isEmpty {
      pads = try constant(node, input: 1)?.integers
    }
    if let value = try constant(node, input: 2), (value.reals ?? [0]).contains(where: { $0 != 0 }) {
      throw fail(node, "pads with a value other than 0")
    }
    if let v = attributes.float("value"), v != 0 { throw fail(node, "pads with \(v), not 0") }
    guard var pads else { throw fail(node, "has no pads") }
    if let axes = try constant(node, input: 3)?.integers {
      var full = [Int64](repeating: 0, count: 8)
      guard pads.count == 2 * axes.count else { throw fail(node, "pads and axes differ in length") }
      for (k, a) in axes.enumerated() {
        let axis = Int(a < 0 ? a + 4 : a)
        guard (0..<4).contains(axis) else { throw fail(node, "pads axis \(a)") }
        full[axis] = pads[k]
        full[axis + 4] = pads[k + axes.count]
      }
      pads = full
    }
    guard pads.count == 8 else { throw fail(node, "pads a map that is not 4-D") }
    for axis in [0, 2, 3] where pads[axis] != 0 || pads[axis + 4] != 0 {
      throw fail(
        node,
        "pads axis \(axis) (\(pads[axis]), \(pads[axis + 4])); Shears pads only channels "
          + "(the option-A shortcut)")
    }
    guard pads[1] >= 0, pads[5] >= 0 else { throw fail(node, "crops channels (negative pads)") }
    var s = try pending(node)
    s.map =
      Array(repeating: -1, count: Int(pads[1])) + s.map + Array(repeating: -1, count: Int(pads[5]))
    let scoped = scopeName(node.name)
    if !scoped.isEmpty { s.name = scoped }
    setOutput(node, .shortcut(s))
  }

  /// The Shears node of a finished shortcut (or its source, if it changes nothing).
  private mutating func makeShortcut(_ s: PendingShortcut, consumer: String) throws -> String {
    if s.strideH == 1, s.strideW == 1, s.map == Array(0..<s.sourceShape[0]) { return s.source }
    guard s.strideH == s.strideW else {
      throw ONNXError.invalidGraph(
        path: path,
        problem: "the shortcut read by \(consumer) subsamples H by \(s.strideH) but W by "
          + "\(s.strideW); Shears needs one stride")
    }
    var channelMap = [Int](repeating: -1, count: s.sourceShape[0])
    for (target, source) in s.map.enumerated() where source >= 0 {
      guard channelMap[source] < 0 else {
        throw ONNXError.invalidGraph(
          path: path,
          problem: "the shortcut read by \(consumer) copies channel \(source) twice")
      }
      channelMap[source] = target
    }
    var name = s.name.isEmpty ? "shortcut" : s.name
    if usedNames.contains(name) { name += ".shortcut" }
    var k = 2
    let base = name
    while usedNames.contains(name) {
      name = base + "_\(k)"
      k += 1
    }
    usedNames.insert(name)
    let spec = ShortcutPadSpec(
      inChannels: s.sourceShape[0], outChannels: s.map.count, stride: s.strideH,
      channelMap: channelMap)
    do {
      try builder.add(name, .shortcutPad(spec), inputs: [s.source])
    } catch {
      throw ONNXError.invalidGraph(path: path, problem: "shortcut '\(name)': \(error)")
    }
    return name
  }

  // MARK: - Input normalisation

  private mutating func normalize(_ node: Onnx_NodeProto) throws {
    guard node.input.count == 2 else { throw fail(node, "needs two inputs") }
    let channels = inputShape[0]
    let state: (mean: [Float], scale: [Float])
    switch try value(node.input[0], for: node) {
    case .map(let name, _) where name == Network.inputName:
      state = (Array(repeating: 0, count: channels), Array(repeating: 1, count: channels))
    case .normalizing(let mean, let scale):
      state = (mean, scale)
    default:
      throw fail(
        node,
        "computes on a feature map; Shears imports \(node.opType) only as the input's "
          + "normalisation (by a per-channel constant, before any layer)")
    }
    guard case .constant(let c) = try value(node.input[1], for: node), var v = c.reals,
      c.dims.elementCount == v.count
    else { throw fail(node, "the second input must be a constant") }
    if v.count == 1 { v = Array(repeating: v[0], count: channels) }
    guard v.count == channels else {
      throw fail(node, "the constant has \(v.count) values for \(channels) input channels")
    }
    var (mean, scale) = state
    switch node.opType {
    case "Sub":
      guard scale.allSatisfy({ $0 == 1 }) else {
        throw fail(node, "subtracts after scaling; Shears reads (x − mean) / std")
      }
      for i in 0..<channels { mean[i] += v[i] }
    case "Mul":
      for i in 0..<channels { scale[i] *= v[i] }
    default:
      guard v.allSatisfy({ $0 != 0 }) else { throw fail(node, "divides by zero") }
      for i in 0..<channels { scale[i] /= v[i] }
    }
    setOutput(node, .normalizing(mean: mean, scale: scale))
  }

  // MARK: - Constants

  private func constantValue(_ node: Onnx_NodeProto, _ attributes: ONNXAttributes) throws
    -> ONNXConstant
  {
    if let t = attributes.tensor("value") {
      return try ONNXConstant(t) { ONNXError.invalidGraph(path: path, problem: $0) }
    }
    if let f = attributes.float("value_float") { return ONNXConstant(floats: [f], dims: []) }
    if let f = attributes.floats("value_floats") { return ONNXConstant(floats: f, dims: [f.count]) }
    if let i = attributes.int("value_int") { return ONNXConstant(ints: [i], dims: []) }
    if let i = attributes.ints("value_ints") { return ONNXConstant(ints: i) }
    throw fail(node, "has no value Shears reads (value, value_float(s), value_int(s))")
  }
}
