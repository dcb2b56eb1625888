import NeuralNet

/// The FLOPs (MACs) and parameter counts a network would have with given channel counts per
/// group, from the groups' arithmetic alone — no surgery. Every conv's output channels come
/// from the group it produces into, its input channels from the group it reads; a linear
/// layer after a flatten loses `featuresPerChannel` inputs per channel; batch norms follow
/// their group. Counts equal ``NeuralNet/Network/macs`` and
/// ``NeuralNet/Network/parameterCount`` of the physically pruned network (tests check this).
///
/// ```swift
/// let arithmetic = try ChannelArithmetic(network: net)
/// arithmetic.macs(removed: ["conv1": 4])  // MACs with 4 channels of conv1's group gone
/// ```
public struct ChannelArithmetic: Sendable {
  /// One counted layer: its fixed factors and which groups set its channel dimensions.
  struct Term: Sendable {
    /// Multiplier of `in · out` for MACs (output H·W · k², or 1 for linear).
    var macFactor: Int
    /// Multiplier of `in · out` for parameters (k², or 1 for linear).
    var paramFactor: Int
    /// Parameters per output channel besides the weights (bias: 1; batch norm: 2).
    var perOutput: Int
    /// Input dimension: fixed, or a group id and features per channel.
    var inputs: Int
    var inputGroup: String?
    var inputFactor: Int
    /// Output dimension: fixed, or a group id.
    var outputs: Int
    var outputGroup: String?
  }

  let terms: [Term]
  /// Channels per group id before any removal.
  public let channels: [String: Int]

  /// The arithmetic of `network` with its groups.
  public init(network: Network, groups: ChannelGroups? = nil) throws {
    let groups = try groups ?? ChannelGroups(network: network)
    let shapes = try network.outputShapes()
    var producer: [String: String] = [:]
    var reader: [String: (group: String, factor: Int)] = [:]
    var normed: [String: String] = [:]
    var channels: [String: Int] = [:]
    for g in groups.groups {
      channels[g.id] = g.channels
      for p in g.producers { producer[p] = g.id }
      for c in g.consumers where c.kind != .shortcut {
        reader[c.node] = (g.id, c.kind == .linear ? c.featuresPerChannel : 1)
      }
      for b in g.batchNorms { normed[b] = g.id }
    }
    var terms: [Term] = []
    for node in network.nodes {
      switch node.operation {
      case .conv(let c):
        guard let out = shapes[node.name], out.count == 3 else {
          throw PruningError.invalidGraph("no output shape for conv '\(node.name)'")
        }
        let k2 = c.kernel * c.kernel
        terms.append(
          Term(
            macFactor: out[1] * out[2] * k2, paramFactor: k2, perOutput: c.bias ? 1 : 0,
            inputs: c.inChannels, inputGroup: reader[node.name]?.group, inputFactor: 1,
            outputs: c.outChannels, outputGroup: producer[node.name]))
      case .linear(let l):
        let r = reader[node.name]
        terms.append(
          Term(
            macFactor: 1, paramFactor: 1, perOutput: l.bias ? 1 : 0, inputs: l.inFeatures,
            inputGroup: r?.group, inputFactor: r?.factor ?? 1, outputs: l.outFeatures,
            outputGroup: nil))
      case .batchNorm(let b):
        terms.append(
          Term(
            macFactor: 0, paramFactor: 0, perOutput: 2, inputs: 0, inputGroup: nil,
            inputFactor: 1, outputs: b.channels, outputGroup: normed[node.name]))
      default:
        break
      }
    }
    self.terms = terms
    self.channels = channels
  }

  private func dimensions(_ t: Term, removed: [String: Int]) -> (inputs: Int, outputs: Int) {
    let inputs = t.inputGroup.map { g in
      (channels[g, default: 0] - removed[g, default: 0]) * t.inputFactor
    }
    let outputs = t.outputGroup.map { g in channels[g, default: 0] - removed[g, default: 0] }
    return (inputs ?? t.inputs, outputs ?? t.outputs)
  }

  /// MACs of one image with `removed[g]` channels of each group `g` gone.
  public func macs(removed: [String: Int] = [:]) -> Int {
    terms.reduce(0) { total, t in
      let (i, o) = dimensions(t, removed: removed)
      return total + t.macFactor * i * o
    }
  }

  /// Trainable parameters with `removed[g]` channels of each group `g` gone.
  public func parameters(removed: [String: Int] = [:]) -> Int {
    terms.reduce(0) { total, t in
      let (i, o) = dimensions(t, removed: removed)
      return total + t.paramFactor * i * o + t.perOutput * o
    }
  }
}
