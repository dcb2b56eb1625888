import NeuralNet
import TensorCore

/// Applies a ``PruningPlan``: physically (a new, smaller network with the kept weights copied)
/// or masked (same shapes, the removed channels' writers zeroed) — the two give the same outputs
/// in evaluation mode, which the tests check.
public enum Surgery {
  /// A new network without the planned channels. Producers lose filters (rows), batch norms
  /// lose entries, consumers lose input channels (columns; `featuresPerChannel` features each
  /// for a linear layer after a flatten), and option-A shortcuts get a new channel map.
  public static func prune(_ network: Network, with plan: PruningPlan) throws -> Network {
    let groups = try ChannelGroups(network: network)
    try plan.validate(for: network, groups: groups)
    var nodes = network.nodes
    var parameters = network.parameters
    var buffers = network.buffers
    let index = Dictionary(uniqueKeysWithValues: nodes.enumerated().map { ($1.name, $0) })
    for gp in plan.groups where !gp.removed.isEmpty {
      let g = groups.group(id: gp.group)!
      let kept = gp.kept
      // Position of each old channel in the new numbering (−1: removed).
      var newIndex = [Int](repeating: -1, count: g.channels)
      for (n, c) in kept.enumerated() { newIndex[c] = n }
      for p in g.producers {
        guard case .conv(var spec) = nodes[index[p]!].operation else { continue }
        spec.outChannels = kept.count
        nodes[index[p]!].operation = .conv(spec)
        parameters[p + ".weight"] = select(parameters[p + ".weight"]!, axis: 0, kept)
        if spec.bias { parameters[p + ".bias"] = select(parameters[p + ".bias"]!, axis: 0, kept) }
      }
      for s in g.shortcutProducers {
        guard case .shortcutPad(var spec) = nodes[index[s]!].operation else { continue }
        spec.outChannels = kept.count
        spec.channelMap = spec.channelMap.map { $0 >= 0 ? newIndex[$0] : -1 }
        nodes[index[s]!].operation = .shortcutPad(spec)
      }
      for b in g.batchNorms {
        guard case .batchNorm(var spec) = nodes[index[b]!].operation else { continue }
        spec.channels = kept.count
        nodes[index[b]!].operation = .batchNorm(spec)
        for suffix in [".weight", ".bias"] {
          parameters[b + suffix] = select(parameters[b + suffix]!, axis: 0, kept)
        }
        for suffix in [".running_mean", ".running_var"] {
          buffers[b + suffix] = select(buffers[b + suffix]!, axis: 0, kept)
        }
      }
      for c in g.consumers {
        let i = index[c.node]!
        switch (c.kind, nodes[i].operation) {
        case (.conv, .conv(var spec)):
          spec.inChannels = kept.count
          nodes[i].operation = .conv(spec)
          parameters[c.node + ".weight"] = select(parameters[c.node + ".weight"]!, axis: 1, kept)
        case (.linear, .linear(var spec)):
          let k = c.featuresPerChannel
          let features = kept.flatMap { ch in (ch * k)..<((ch + 1) * k) }
          spec.inFeatures = features.count
          nodes[i].operation = .linear(spec)
          parameters[c.node + ".weight"] = select(
            parameters[c.node + ".weight"]!, axis: 1, features)
        case (.shortcut, .shortcutPad(var spec)):
          spec.inChannels = kept.count
          spec.channelMap = kept.map { spec.channelMap[$0] }
          nodes[i].operation = .shortcutPad(spec)
        default:
          throw PruningError.invalidGraph("consumer \(c.node) is not a \(c.kind.rawValue)")
        }
      }
    }
    var pruned = network
    try pruned.replaceGraph(nodes: nodes, parameters: parameters, buffers: buffers)
    return pruned
  }

  /// The same network with the planned channels silenced instead of removed: producer filters
  /// and biases, batch-norm γ and β zeroed (so the channel is exactly 0 after the batch norm in
  /// evaluation mode), and shortcut entries landing on removed channels dropped.
  public static func mask(_ network: Network, with plan: PruningPlan) throws -> Network {
    let groups = try ChannelGroups(network: network)
    try plan.validate(for: network, groups: groups)
    var nodes = network.nodes
    var parameters = network.parameters
    let index = Dictionary(uniqueKeysWithValues: nodes.enumerated().map { ($1.name, $0) })
    for gp in plan.groups where !gp.removed.isEmpty {
      let g = groups.group(id: gp.group)!
      let gone = Set(gp.removed)
      for p in g.producers {
        zero(&parameters[p + ".weight"]!, axis: 0, gone)
        if parameters[p + ".bias"] != nil { zero(&parameters[p + ".bias"]!, axis: 0, gone) }
      }
      for b in g.batchNorms {
        zero(&parameters[b + ".weight"]!, axis: 0, gone)
        zero(&parameters[b + ".bias"]!, axis: 0, gone)
      }
      for s in g.shortcutProducers {
        guard case .shortcutPad(var spec) = nodes[index[s]!].operation else { continue }
        spec.channelMap = spec.channelMap.map { gone.contains($0) ? -1 : $0 }
        nodes[index[s]!].operation = .shortcutPad(spec)
      }
    }
    var masked = network
    try masked.replaceGraph(nodes: nodes, parameters: parameters, buffers: network.buffers)
    return masked
  }

  /// The slices `indices` of a plain tensor along `axis` (0 or 1).
  static func select(_ t: Tensor, axis: Int, _ indices: [Int]) -> Tensor {
    var shape = t.shape
    let outer = shape[..<axis].reduce(1, *)
    let inner = shape[(axis + 1)...].reduce(1, *)
    let n = shape[axis]
    shape[axis] = indices.count
    var out = Tensor(zeros: shape)
    out.withUnsafeMutableBufferPointer { dst in
      t.withUnsafeBufferPointer { src in
        var o = 0
        for a in 0..<outer {
          for i in indices {
            let base = (a * n + i) * inner
            for k in 0..<inner {
              dst[o] = src[base + k]
              o += 1
            }
          }
        }
      }
    }
    return out
  }

  /// Zeroes the slices `indices` of a plain tensor along `axis` 0.
  static func zero(_ t: inout Tensor, axis: Int, _ indices: Set<Int>) {
    precondition(axis == 0, "masking zeroes output slices")
    let inner = t.shape.dropFirst().reduce(1, *)
    t.withUnsafeMutableBufferPointer { p in
      for i in indices {
        for k in 0..<inner { p[i * inner + k] = 0 }
      }
    }
  }
}
