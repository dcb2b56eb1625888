import NeuralNet
import TensorCore

/// A physically pruned network of fixed shape (a channel count per group) whose weights are
/// refilled in place for each choice of kept channels: the graph, the tensors and the executors
/// built for it stay, only the kept rows and columns are copied in. Equivalent to
/// `Surgery.prune(network, with: plan)` for every plan of the same counts (the tests check).
///
/// ```swift
/// var t = try PrunedTemplate(network: net, removedCounts: counts)
/// try t.fill(removed: perGroupRemoved)   // t.network is now the pruned network
/// ```
public struct PrunedTemplate: Sendable {
  private struct Gather: Sendable {
    var path: String
    var isBuffer: Bool
    /// Group index whose kept channels select rows (axis 0), if any.
    var rows: Int?
    /// Group index whose kept channels select columns (axis 1), if any.
    var columns: Int?
    /// Columns per channel (features per channel of a linear consumer).
    var perChannel: Int
  }
  private struct Shortcut: Sendable {
    var node: Int
    var input: Int?
    var output: Int?
    var originalMap: [Int]
  }

  /// The unpruned network.
  public let original: Network
  /// The pruned network, refilled by ``fill(removed:)``.
  public private(set) var network: Network
  /// The groups, in ``ChannelGroups`` order.
  public let groups: [ChannelGroup]
  private let counts: [Int]
  private var gathers: [Gather] = []
  private var shortcuts: [Shortcut] = []

  /// Prepares the pruned shape of `network` with `removedCounts[g]` channels removed from each
  /// group (missing: none).
  public init(network: Network, removedCounts: [String: Int]) throws {
    let found = try ChannelGroups(network: network)
    original = network
    groups = found.groups
    counts = found.groups.map { removedCounts[$0.id] ?? 0 }
    let placeholder = PruningPlan(
      model: network.name, fingerprint: network.fingerprint, criterion: "template", ratio: 0,
      strategy: .uniform, selection: .topK,
      groups: zip(found.groups, counts).map {
        GroupPlan(group: $0.id, channels: $0.channels, removed: Array(0..<$1))
      })
    self.network = try Surgery.prune(network, with: placeholder)
    var byPath: [String: Gather] = [:]
    func entry(_ path: String, buffer: Bool = false) -> Gather {
      byPath[path] ?? Gather(path: path, isBuffer: buffer, rows: nil, columns: nil, perChannel: 1)
    }
    let index = Dictionary(uniqueKeysWithValues: network.nodes.enumerated().map { ($1.name, $0) })
    var shortcutByNode: [Int: Shortcut] = [:]
    for (k, g) in found.groups.enumerated() where counts[k] > 0 {
      for p in g.producers {
        for suffix in [".weight", ".bias"] where network.parameters[p + suffix] != nil {
          var e = entry(p + suffix)
          e.rows = k
          byPath[p + suffix] = e
        }
      }
      for b in g.batchNorms {
        for suffix in [".weight", ".bias"] {
          var e = entry(b + suffix)
          e.rows = k
          byPath[b + suffix] = e
        }
        for suffix in [".running_mean", ".running_var"] {
          var e = entry(b + suffix, buffer: true)
          e.rows = k
          byPath[b + suffix] = e
        }
      }
      for c in g.consumers {
        switch c.kind {
        case .conv, .linear:
          var e = entry(c.node + ".weight")
          e.columns = k
          e.perChannel = c.featuresPerChannel
          byPath[c.node + ".weight"] = e
        case .shortcut:
          guard let i = index[c.node], case .shortcutPad(let spec) = network.nodes[i].operation
          else { throw PruningError.invalidGraph("shortcut \(c.node) is not a shortcut node") }
          var s =
            shortcutByNode[i]
            ?? Shortcut(node: i, input: nil, output: nil, originalMap: spec.channelMap)
          s.input = k
          shortcutByNode[i] = s
        }
      }
      for sp in g.shortcutProducers {
        guard let i = index[sp], case .shortcutPad(let spec) = network.nodes[i].operation else {
          throw PruningError.invalidGraph("shortcut \(sp) is not a shortcut node")
        }
        var s =
          shortcutByNode[i]
          ?? Shortcut(node: i, input: nil, output: nil, originalMap: spec.channelMap)
        s.output = k
        shortcutByNode[i] = s
      }
    }
    gathers = byPath.values.sorted { $0.path < $1.path }
    shortcuts = shortcutByNode.values.sorted { $0.node < $1.node }
  }

  /// Copies the kept channels of `removed` (per group in ``groups`` order, each with exactly
  /// the template's count) into ``network``.
  public mutating func fill(removed: [[Int]]) throws {
    guard removed.count == groups.count,
      zip(removed, counts).allSatisfy({ $0.count == $1 })
    else {
      throw PruningError.invalidPlan("the removal lists do not match the template's counts")
    }
    let kept: [[Int]] = zip(groups, removed).map { g, r in
      let gone = Set(r)
      return (0..<g.channels).filter { !gone.contains($0) }
    }
    for e in gathers {
      guard let source = e.isBuffer ? original.buffers[e.path] : original.parameters[e.path],
        (e.isBuffer ? network.buffers[e.path] : network.parameters[e.path]) != nil
      else {
        throw PruningError.invalidGraph("the network has no tensor '\(e.path)'")
      }
      let shape = source.shape
      let rows: [Int] = e.rows.map { kept[$0] } ?? Array(0..<shape[0])
      let inner = shape.count > 2 ? shape[2...].reduce(1, *) : 1
      let cols: [Int]
      if let c = e.columns {
        let k = e.perChannel
        cols = kept[c].flatMap { ch in (ch * k)..<((ch + 1) * k) }
      } else {
        cols = shape.count > 1 ? Array(0..<shape[1]) : [0]
      }
      let width = shape.count > 1 ? shape[1] : 1
      func copy(into target: inout Tensor) {
        source.withUnsafeBufferPointer { src in
          target.withUnsafeMutableBufferPointer { dst in
            var o = 0
            for r in rows {
              for c in cols {
                let base = (r * width + c) * inner
                for x in 0..<inner {
                  dst[o] = src[base + x]
                  o += 1
                }
              }
            }
          }
        }
      }
      // Both lookups were checked above; `!` keeps the copy in place (no new tensor).
      if e.isBuffer {
        copy(into: &network.buffers[e.path]!)
      } else {
        copy(into: &network.parameters[e.path]!)
      }
    }
    guard !shortcuts.isEmpty else { return }
    var nodes = network.nodes
    for s in shortcuts {
      guard case .shortcutPad(var spec) = nodes[s.node].operation else { continue }
      let inputs = s.input.map { kept[$0] } ?? Array(s.originalMap.indices)
      var newIndex: [Int]? = nil
      if let o = s.output {
        var m = [Int](repeating: -1, count: groups[o].channels)
        for (n, c) in kept[o].enumerated() { m[c] = n }
        newIndex = m
      }
      spec.channelMap = inputs.map { i in
        let to = s.originalMap[i]
        guard to >= 0 else { return -1 }
        return newIndex.map { $0[to] } ?? to
      }
      nodes[s.node].operation = .shortcutPad(spec)
    }
    let (parameters, buffers) = (network.parameters, network.buffers)
    try network.replaceGraph(nodes: nodes, parameters: parameters, buffers: buffers)
  }
}
