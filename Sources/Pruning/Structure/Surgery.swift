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
    let graph = GraphLookup(network: network)
    for gp in plan.groups where !gp.removed.isEmpty {
      let g = try graph.group(gp.group, in: groups)
      let kept = gp.kept
      // Position of each old channel in the new numbering (−1: removed).
      var newIndex = [Int](repeating: -1, count: g.channels)
      for (n, c) in kept.enumerated() { newIndex[c] = n }
      for p in g.producers {
        let i = try graph.position(p)
        guard case .conv(var spec) = nodes[i].operation else { continue }
        spec.outChannels = kept.count
        nodes[i].operation = .conv(spec)
        parameters[p + ".weight"] = try select(
          graph.tensor(p + ".weight", in: parameters), axis: 0, kept)
        if spec.bias {
          parameters[p + ".bias"] = try select(
            graph.tensor(p + ".bias", in: parameters), axis: 0, kept)
        }
      }
      for s in g.shortcutProducers {
        let i = try graph.position(s)
        guard case .shortcutPad(var spec) = nodes[i].operation else { continue }
        spec.outChannels = kept.count
        spec.channelMap = spec.channelMap.map { $0 >= 0 ? newIndex[$0] : -1 }
        nodes[i].operation = .shortcutPad(spec)
      }
      for b in g.batchNorms {
        let i = try graph.position(b)
        guard case .batchNorm(var spec) = nodes[i].operation else { continue }
        spec.channels = kept.count
        nodes[i].operation = .batchNorm(spec)
        for suffix in [".weight", ".bias"] {
          parameters[b + suffix] = try select(
            graph.tensor(b + suffix, in: parameters), axis: 0, kept)
        }
        for suffix in [".running_mean", ".running_var"] {
          buffers[b + suffix] = try select(graph.tensor(b + suffix, in: buffers), axis: 0, kept)
        }
      }
      for c in g.consumers {
        let i = try graph.position(c.node)
        switch (c.kind, nodes[i].operation) {
        case (.conv, .conv(var spec)):
          spec.inChannels = kept.count
          nodes[i].operation = .conv(spec)
          parameters[c.node + ".weight"] = try select(
            graph.tensor(c.node + ".weight", in: parameters), axis: 1, kept)
        case (.linear, .linear(var spec)):
          let k = c.featuresPerChannel
          let features = kept.flatMap { ch in (ch * k)..<((ch + 1) * k) }
          spec.inFeatures = features.count
          nodes[i].operation = .linear(spec)
          parameters[c.node + ".weight"] = try select(
            graph.tensor(c.node + ".weight", in: parameters), axis: 1, features)
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
    let graph = GraphLookup(network: network)
    for gp in plan.groups where !gp.removed.isEmpty {
      let g = try graph.group(gp.group, in: groups)
      let gone = Set(gp.removed)
      for p in g.producers {
        try graph.zero(p + ".weight", in: &parameters, axis: 0, gone)
        if parameters[p + ".bias"] != nil {
          try graph.zero(p + ".bias", in: &parameters, axis: 0, gone)
        }
      }
      for b in g.batchNorms {
        try graph.zero(b + ".weight", in: &parameters, axis: 0, gone)
        try graph.zero(b + ".bias", in: &parameters, axis: 0, gone)
      }
      for s in g.shortcutProducers {
        let i = try graph.position(s)
        guard case .shortcutPad(var spec) = nodes[i].operation else { continue }
        spec.channelMap = spec.channelMap.map { gone.contains($0) ? -1 : $0 }
        nodes[i].operation = .shortcutPad(spec)
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

/// Name lookups of a network under surgery. The groups and the plan were validated against the
/// network, so a miss means the network's graph and its tensors disagree (a hand-edited or
/// damaged model): it is reported as ``PruningError/invalidGraph(_:)`` instead of a crash.
private struct GraphLookup {
  let name: String
  let index: [String: Int]

  init(network: Network) {
    name = network.name
    index = Dictionary(uniqueKeysWithValues: network.nodes.enumerated().map { ($1.name, $0) })
  }

  func position(_ node: String) throws -> Int {
    guard let i = index[node] else {
      throw PruningError.invalidGraph("node '\(node)' is not in \(name); rebuild or reload it")
    }
    return i
  }

  func group(_ id: String, in groups: ChannelGroups) throws -> ChannelGroup {
    guard let g = groups.group(id: id) else {
      throw PruningError.invalidPlan("unknown layer group '\(id)' of \(name)")
    }
    return g
  }

  func tensor(_ key: String, in tensors: [String: Tensor]) throws -> Tensor {
    guard let t = tensors[key] else {
      throw PruningError.invalidGraph("\(name) has no tensor '\(key)'; rebuild or reload it")
    }
    return t
  }

  func zero(_ key: String, in tensors: inout [String: Tensor], axis: Int, _ gone: Set<Int>) throws {
    guard var t = tensors.removeValue(forKey: key) else {
      throw PruningError.invalidGraph("\(name) has no tensor '\(key)'; rebuild or reload it")
    }
    Surgery.zero(&t, axis: axis, gone)
    tensors[key] = t
  }
}
