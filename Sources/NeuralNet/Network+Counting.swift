extension Network {
  /// Multiply–accumulates of one forward pass of one image: convolutions and linear layers
  /// (the pruning literature's "FLOPs", ALGORITHMS.md §7). Batch norm, pooling and additions
  /// are not counted.
  public var macs: Int { (try? macsByNode().values.reduce(0, +)) ?? 0 }

  /// MACs of each conv and linear node for one image.
  public func macsByNode() throws -> [String: Int] {
    let shapes = try outputShapes()
    var result: [String: Int] = [:]
    for node in nodes {
      switch node.operation {
      case .conv(let c):
        // `outputShapes()` has an entry for every node.
        let out = shapes[node.name]!
        result[node.name] = out[0] * out[1] * out[2] * c.inChannels * c.kernel * c.kernel
      case .linear(let l):
        result[node.name] = l.inFeatures * l.outFeatures
      default:
        break
      }
    }
    return result
  }

  /// Trainable scalars of each node that owns parameters.
  public var parametersByNode: [String: Int] {
    var result: [String: Int] = [:]
    for node in nodes {
      let n = Network.parameterShapes(of: node).reduce(0) { $0 + $1.shape.reduce(1, *) }
      if n > 0 { result[node.name] = n }
    }
    return result
  }
}
