extension Network {
  /// Per-sample output shape of every node (`[C, H, W]` for maps, `[F]` for vectors), with the
  /// input under ``Network/inputName``.
  public func outputShapes() throws -> [String: [Int]] {
    var shapes: [String: [Int]] = [Network.inputName: inputShape]
    for node in nodes {
      let ins = try node.inputs.map { input in
        guard let shape = shapes[input] else {
          throw NeuralNetError.invalidGraph(
            "node '\(node.name)' reads '\(input)', which is not an earlier node")
        }
        return shape
      }
      shapes[node.name] = try Network.outputShape(of: node, inputs: ins)
    }
    return shapes
  }

  static func outputShape(of node: Node, inputs: [[Int]]) throws -> [Int] {
    let x = inputs[0]
    func fail(_ m: String) -> NeuralNetError {
      .invalidGraph("node '\(node.name)' (\(node.operation.kindName)): \(m)")
    }
    func needMap() throws {
      guard x.count == 3 else { throw fail("needs a C×H×W input, got \(x)") }
    }
    switch node.operation {
    case .conv(let c):
      try needMap()
      guard x[0] == c.inChannels else {
        throw fail("expects \(c.inChannels) input channels, gets \(x[0])")
      }
      let h = (x[1] + 2 * c.padding - c.kernel) / c.stride + 1
      let w = (x[2] + 2 * c.padding - c.kernel) / c.stride + 1
      guard h > 0, w > 0, c.outChannels > 0 else { throw fail("output would be empty") }
      return [c.outChannels, h, w]
    case .batchNorm(let b):
      guard x.first == b.channels else { throw fail("has \(b.channels) channels, gets \(x)") }
      return x
    case .relu:
      return x
    case .maxPool(let p), .avgPool(let p):
      try needMap()
      let h = (x[1] + 2 * p.padding - p.kernel) / p.stride + 1
      let w = (x[2] + 2 * p.padding - p.kernel) / p.stride + 1
      guard h > 0, w > 0 else { throw fail("window \(p.kernel) does not fit \(x)") }
      return [x[0], h, w]
    case .globalAvgPool:
      try needMap()
      return [x[0], 1, 1]
    case .add:
      guard inputs[1] == x else { throw fail("adds \(x) and \(inputs[1])") }
      return x
    case .flatten:
      return [x.reduce(1, *)]
    case .linear(let l):
      guard x == [l.inFeatures] else { throw fail("expects [\(l.inFeatures)], gets \(x)") }
      return [l.outFeatures]
    case .shortcutPad(let s):
      try needMap()
      guard x[0] == s.inChannels, s.channelMap.count == s.inChannels else {
        throw fail("expects \(s.inChannels) channels, gets \(x[0])")
      }
      return [s.outChannels, (x[1] + s.stride - 1) / s.stride, (x[2] + s.stride - 1) / s.stride]
    }
  }
}
