import TensorCore

#if canImport(Glibc)
  import Glibc
#endif

/// Appends nodes one after another and initialises their parameters; the model zoo's tool.
///
/// Convolutions get Kaiming-normal weights (`std = sqrt(2 / fan_in)`, He et al. 2015) or, with
/// ``ModelOptions/Initialization/torch``, PyTorch's default uniform `±1/sqrt(fan_in)`; linear
/// layers PyTorch's default uniform `±1/sqrt(in)`, batch norm γ = 1, β = 0, running mean 0 and
/// running variance 1. Every draw comes from the generator passed in.
public struct NetworkBuilder {
  /// Nodes so far.
  public private(set) var nodes: [Node] = []
  /// Parameters so far.
  public private(set) var parameters: [String: Tensor] = [:]
  /// Buffers so far.
  public private(set) var buffers: [String: Tensor] = [:]
  /// The most recently added node (input of the next one by default).
  public private(set) var last: String = Network.inputName
  /// Per-sample shape of ``last``'s output.
  public private(set) var shape: [Int]
  /// Parameter and buffer elements so far (counted whether or not they are allocated).
  public private(set) var parameterElements = 0
  /// Output elements of every node so far, per sample (what a forward pass keeps).
  public private(set) var activationElements = 0
  private var shapes: [String: [Int]]
  private var rng: SeededRNG
  private let allocating: Bool
  private let initialization: ModelOptions.Initialization

  /// Starts a network whose input is `[C, H, W]`. With `allocating` false nothing is
  /// allocated: only shapes and element counts are kept, to estimate a model's memory before
  /// building it. `initialization` says how convolution weights are drawn.
  public init(
    inputShape: [Int], rng: SeededRNG, allocating: Bool = true,
    initialization: ModelOptions.Initialization = .he
  ) {
    self.shape = inputShape
    self.shapes = [Network.inputName: inputShape]
    self.rng = rng
    self.allocating = allocating
    self.initialization = initialization
  }

  /// Adds a node reading `inputs` (default: the last node) and returns its name.
  @discardableResult
  public mutating func add(_ name: String, _ op: Operation, inputs: [String]? = nil) throws
    -> String
  {
    let ins = inputs ?? [last]
    let node = Node(name: name, operation: op, inputs: ins)
    let inShapes = try ins.map { input in
      guard let shape = shapes[input] else {
        throw NeuralNetError.invalidGraph("node '\(name)' reads '\(input)', which is not added yet")
      }
      return shape
    }
    let out = try Network.outputShape(of: node, inputs: inShapes)
    for (path, s) in Network.parameterShapes(of: node) {
      parameterElements = Self.adding(parameterElements, s)
      if allocating { parameters[path] = initialValue(path: path, shape: s, op: op) }
    }
    for (path, s) in Network.bufferShapes(of: node) {
      parameterElements = Self.adding(parameterElements, s)
      guard allocating else { continue }
      buffers[path] =
        path.hasSuffix("running_var") ? Tensor(shape: s, repeating: 1) : Tensor(zeros: s)
    }
    activationElements = Self.adding(activationElements, out)
    nodes.append(node)
    shapes[name] = out
    shape = out
    last = name
    return name
  }

  /// `total` plus the element count of `shape`, saturating instead of overflowing.
  private static func adding(_ total: Int, _ shape: [Int]) -> Int {
    var count = 1
    for extent in shape {
      let (product, overflow) = count.multipliedReportingOverflow(by: max(extent, 0))
      count = overflow ? Int.max : product
    }
    let (sum, overflow) = total.addingReportingOverflow(count)
    return overflow ? Int.max : sum
  }

  /// Per-sample output shape of node `name`.
  public func shape(of name: String) -> [Int]? { shapes[name] }

  private mutating func initialValue(path: String, shape: [Int], op: Operation) -> Tensor {
    switch op {
    case .conv(let c):
      let fanIn = Float(c.inChannels * c.kernel * c.kernel)
      switch initialization {
      case .he:
        if path.hasSuffix(".bias") { return Tensor(zeros: shape) }
        return Tensor(shape: shape, normalStd: (2 / fanIn).squareRoot(), rng: &rng)
      case .torch:
        return Tensor(shape: shape, uniformBound: 1 / fanIn.squareRoot(), rng: &rng)
      }
    case .linear(let l):
      let bound = 1 / Float(l.inFeatures).squareRoot()
      return Tensor(shape: shape, uniformBound: bound, rng: &rng)
    case .batchNorm:
      return path.hasSuffix(".weight") ? Tensor(shape: shape, repeating: 1) : Tensor(zeros: shape)
    default:
      return Tensor(zeros: shape)
    }
  }

  /// Conv, batch norm and ReLU named `<prefix>conv<i>`, `<prefix>bn<i>`, `<prefix>relu<i>`.
  mutating func convBNReLU(
    _ prefix: String, _ index: String, out: Int, kernel: Int = 3, stride: Int = 1,
    relu: Bool = true
  ) throws {
    let cin = shape[0]
    try add(
      "\(prefix)conv\(index)",
      .conv(
        ConvSpec(
          inChannels: cin, outChannels: out, kernel: kernel, stride: stride, padding: kernel / 2)))
    try add("\(prefix)bn\(index)", .batchNorm(BatchNormSpec(channels: out)))
    if relu { try add("\(prefix)relu\(index)", .relu) }
  }

  /// The finished network.
  public func build(name: String, classes: Int) throws -> Network {
    try Network(
      // `init` put the input's shape in `shapes`.
      name: name, inputShape: shapes[Network.inputName]!, classes: classes, nodes: nodes,
      parameters: parameters, buffers: buffers)
  }
}
