import TensorCore

/// A convolutional network as a graph of named nodes, with its parameters addressed by path.
///
/// Nodes are kept in topological order; each reads the image (``inputName``) or earlier nodes.
/// Parameters live in plain layouts at `<node>.weight` / `<node>.bias`, batch-norm running
/// statistics at `<node>.running_mean` / `<node>.running_var`. The last node is the output
/// (logits). `Network` is a value: surgery returns a new one.
///
/// ```swift
/// var rng = SeededRNG(seed: 1)
/// let net = try ModelZoo.make("resnet20", options: .init(inputChannels: 3), rng: &rng)
/// print(net.macs, net.parameterCount)   // 40.6 M, 0.27 M
/// ```
public struct Network: Sendable {
  /// Name of the image input in node input lists.
  public static let inputName = "input"

  /// Model name (`resnet20`, `vgg-small`, …).
  public var name: String
  /// Per-sample input shape `[C, H, W]`.
  public internal(set) var inputShape: [Int]
  /// Number of output classes.
  public var classes: Int
  /// The graph, in topological order.
  public private(set) var nodes: [Node]
  /// Trainable tensors by path.
  public var parameters: [String: Tensor]
  /// Non-trainable state (batch-norm running statistics) by path.
  public var buffers: [String: Tensor]

  /// Builds a network and checks its graph, shapes and parameters.
  public init(
    name: String, inputShape: [Int], classes: Int, nodes: [Node], parameters: [String: Tensor],
    buffers: [String: Tensor]
  ) throws {
    self.name = name
    self.inputShape = inputShape
    self.classes = classes
    self.nodes = nodes
    self.parameters = parameters
    self.buffers = buffers
    try validate()
  }

  /// The node called `name`.
  public func node(named name: String) -> Node? { nodes.first { $0.name == name } }

  /// Index of the node called `name`.
  public func index(of name: String) -> Int? { nodes.firstIndex { $0.name == name } }

  /// Names of the nodes that read `name`'s output.
  public func consumers(of name: String) -> [String] {
    nodes.filter { $0.inputs.contains(name) }.map(\.name)
  }

  /// The output node's name.
  public var outputName: String { nodes.last?.name ?? Network.inputName }

  /// Parameter paths in a fixed order (graph order; weight before bias).
  public var parameterPaths: [String] {
    nodes.flatMap { Network.parameterShapes(of: $0).map(\.path) }
  }

  /// Buffer paths in a fixed order.
  public var bufferPaths: [String] {
    nodes.flatMap { Network.bufferShapes(of: $0).map(\.path) }
  }

  /// Number of trainable scalars (batch-norm γ and β included, running statistics not).
  public var parameterCount: Int { parameters.values.reduce(0) { $0 + $1.count } }

  /// The trainable parameters a node owns, with their shapes.
  public static func parameterShapes(of node: Node) -> [(path: String, shape: [Int])] {
    switch node.operation {
    case .conv(let c):
      let w = (
        path: node.name + ".weight", shape: [c.outChannels, c.inChannels, c.kernel, c.kernel]
      )
      return c.bias ? [w, (node.name + ".bias", [c.outChannels])] : [w]
    case .batchNorm(let b):
      return [(node.name + ".weight", [b.channels]), (node.name + ".bias", [b.channels])]
    case .linear(let l):
      let w = (path: node.name + ".weight", shape: [l.outFeatures, l.inFeatures])
      return l.bias ? [w, (node.name + ".bias", [l.outFeatures])] : [w]
    default:
      return []
    }
  }

  /// The buffers a node owns, with their shapes.
  static func bufferShapes(of node: Node) -> [(path: String, shape: [Int])] {
    if case .batchNorm(let b) = node.operation {
      return [
        (node.name + ".running_mean", [b.channels]), (node.name + ".running_var", [b.channels]),
      ]
    }
    return []
  }

  /// Replaces the graph (used by surgery); parameters must be updated to match.
  public mutating func replaceGraph(
    nodes: [Node], parameters: [String: Tensor], buffers: [String: Tensor]
  ) throws {
    self.nodes = nodes
    self.parameters = parameters
    self.buffers = buffers
    try validate()
  }

  /// Checks names, order, shapes and parameters; throws a ``NeuralNetError`` naming the problem.
  public func validate() throws {
    guard inputShape.count == 3, inputShape.allSatisfy({ $0 > 0 }) else {
      throw NeuralNetError.invalidGraph("input shape must be [C, H, W], got \(inputShape)")
    }
    guard !nodes.isEmpty else { throw NeuralNetError.invalidGraph("the network has no nodes") }
    var seen: Set<String> = [Network.inputName]
    for node in nodes {
      guard !seen.contains(node.name) else {
        throw NeuralNetError.invalidGraph("two nodes are called '\(node.name)'")
      }
      for input in node.inputs where !seen.contains(input) {
        throw NeuralNetError.invalidGraph(
          "node '\(node.name)' reads '\(input)', which is not an earlier node")
      }
      let arity = node.operation == .add ? 2 : 1
      guard node.inputs.count == arity else {
        throw NeuralNetError.invalidGraph(
          "node '\(node.name)' (\(node.operation.kindName)) needs \(arity) input(s)")
      }
      seen.insert(node.name)
    }
    let shapes = try outputShapes()
    guard shapes[outputName] == [classes] else {
      throw NeuralNetError.invalidGraph(
        "the output '\(outputName)' has shape \(shapes[outputName] ?? []), expected [\(classes)]")
    }
    for node in nodes {
      for (path, shape) in Network.parameterShapes(of: node) {
        guard let t = parameters[path] else {
          throw NeuralNetError.parameter(path: path, problem: "missing")
        }
        guard t.shape == shape, t.isPlain else {
          throw NeuralNetError.parameter(path: path, problem: "shape \(t.shape), expected \(shape)")
        }
      }
      for (path, shape) in Network.bufferShapes(of: node) {
        guard let t = buffers[path], t.shape == shape else {
          throw NeuralNetError.parameter(path: path, problem: "missing or not of shape \(shape)")
        }
      }
    }
    let expected = Set(parameterPaths)
    if let extra = parameters.keys.first(where: { !expected.contains($0) }) {
      throw NeuralNetError.parameter(path: extra, problem: "belongs to no node")
    }
  }
}
