/// How much memory a model takes, in elements (4-byte floats): its parameters and buffers, and
/// the outputs of its nodes for one sample. ``ModelZoo/footprint(_:options:)`` computes it
/// without allocating anything.
///
/// ```swift
/// let f = try ModelZoo.footprint("resnet20", options: ModelOptions())
/// f.trainingBytes(batch: 128)  // weights, gradients, momentum, and activations twice
/// ```
public struct ModelFootprint: Hashable, Sendable {
  /// Parameter and buffer elements.
  public var parameterElements: Int
  /// Output elements of every node for one sample.
  public var activationElements: Int

  /// Creates a footprint.
  public init(parameterElements: Int, activationElements: Int) {
    self.parameterElements = parameterElements
    self.activationElements = activationElements
  }

  /// A network's footprint, from its parameters, buffers and per-sample output shapes.
  public init(_ network: Network) throws {
    var parameters = 0
    for tensor in network.parameters.values { parameters = Self.add(parameters, tensor.count) }
    for tensor in network.buffers.values { parameters = Self.add(parameters, tensor.count) }
    var activations = 0
    for (name, shape) in try network.outputShapes() where name != Network.inputName {
      activations = Self.add(activations, Self.product(shape))
    }
    self.init(parameterElements: parameters, activationElements: activations)
  }

  /// Bytes to hold the model itself.
  public var modelBytes: Int { Self.multiply(parameterElements, 4) }

  /// Bytes to train it on batches of `batch`: weights, gradients and momentum (3 copies),
  /// and every node's output plus its gradient for the batch.
  public func trainingBytes(batch: Int) -> Int {
    Self.add(
      Self.multiply(parameterElements, 12),
      Self.multiply(Self.multiply(activationElements, max(batch, 1)), 8))
  }

  /// Bytes to run it forward on batches of `batch`: the weights and every node's output.
  public func inferenceBytes(batch: Int) -> Int {
    Self.add(modelBytes, Self.multiply(Self.multiply(activationElements, max(batch, 1)), 4))
  }

  static func add(_ a: Int, _ b: Int) -> Int {
    let (sum, overflow) = a.addingReportingOverflow(b)
    return overflow ? Int.max : sum
  }

  static func multiply(_ a: Int, _ b: Int) -> Int {
    let (product, overflow) = a.multipliedReportingOverflow(by: b)
    return overflow ? Int.max : product
  }

  static func product(_ shape: [Int]) -> Int {
    shape.reduce(1) { multiply($0, max($1, 0)) }
  }
}
