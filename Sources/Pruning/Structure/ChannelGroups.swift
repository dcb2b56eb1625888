import NeuralNet

/// A layer that reads a group's channels and must drop the matching inputs when they go.
public struct ChannelConsumer: Hashable, Sendable, Codable {
  /// How the consumer reads the channels.
  public enum Kind: String, Hashable, Sendable, Codable {
    /// A convolution's input channels (weight columns `[:, c, :, :]`).
    case conv
    /// A linear layer after `flatten`: channel `c` is features `c·k ..< (c+1)·k`, where `k` is
    /// ``ChannelConsumer/featuresPerChannel`` (1 after global pooling).
    case linear
    /// An option-A shortcut: input channel `c` is copied to output `channelMap[c]`.
    case shortcut
  }
  /// The consuming node.
  public internal(set) var node: String
  /// How it reads.
  public var kind: Kind
  /// Features per channel for a linear consumer (H·W at the flatten).
  var featuresPerChannel: Int
}

/// Channels that must be pruned together: every layer writing them (convolutions joined by
/// residual additions, option-A shortcuts writing into the stream), the batch norms on them,
/// and every layer reading them.
///
/// Pruning channel `j` of a group removes filter `j` of every producer convolution, entry `j`
/// of every batch norm, input `j` of every consumer, and the shortcut entries that land on `j`.
public struct ChannelGroup: Hashable, Sendable, Codable {
  /// A stable name: the first producer convolution, or `<stage>.stream` naming for joined groups
  /// (the producers list is the authority).
  public var id: String
  /// Channels in the group.
  public var channels: Int
  /// Convolutions whose output channels are this group's channels.
  public internal(set) var producers: [String]
  /// Option-A shortcut nodes writing into this group.
  public internal(set) var shortcutProducers: [String]
  /// Batch norms normalising these channels.
  var batchNorms: [String]
  /// Layers reading these channels.
  public internal(set) var consumers: [ChannelConsumer]

  /// True for groups joined by residual additions (more than one writer).
  public var isResidualStream: Bool { producers.count + shortcutProducers.count > 1 }
}

/// The channel groups of a network, found from its graph.
///
/// Rules (issue 5.1): layers whose outputs meet at an add prune the same channel indices; every
/// consumer drops the matching input channels; BN follows its conv; the linear layer after
/// global pooling (or after a flatten) drops its inputs. An option-A shortcut is a consumer of its
/// input's group and a producer in its output's group, so a stage's residual stream is one group
/// and the previous stage's stream is another. Channels that reach the network input or the
/// output of a linear layer are not prunable and form no group.
///
/// ```swift
/// let groups = try ChannelGroups(network: net)
/// for g in groups.groups { print(g.id, g.producers) }
/// ```
public struct ChannelGroups: Sendable, Codable, Equatable {
  /// The groups, in the order their first producer appears in the graph.
  public var groups: [ChannelGroup]
  /// The fingerprint of the network they were found in.
  public var fingerprint: String

  /// The group a conv node produces into.
  public func group(producedBy node: String) -> ChannelGroup? {
    groups.first { $0.producers.contains(node) }
  }

  /// The group with this id.
  public func group(id: String) -> ChannelGroup? { groups.first { $0.id == id } }

  /// Finds the groups of `network`.
  public init(network: Network) throws {
    let shapes = try network.outputShapes()
    // Union-find over "spaces": each conv/linear/shortcut output starts a space, the input is one.
    var parent: [Int] = []
    func make() -> Int {
      parent.append(parent.count)
      return parent.count - 1
    }
    func find(_ x: Int) -> Int {
      var x = x
      while parent[x] != x {
        parent[x] = parent[parent[x]]
        x = parent[x]
      }
      return x
    }
    func union(_ a: Int, _ b: Int) { parent[find(a)] = find(b) }
    let inputSpace = make()
    var spaceOf: [String: Int] = [Network.inputName: inputSpace]
    var blocked: Set<Int> = [inputSpace]
    var perChannel: [String: Int] = [Network.inputName: 1]
    var producers: [Int: [String]] = [:]
    var pads: [Int: [String]] = [:]
    var norms: [Int: [String]] = [:]
    var consumers: [Int: [ChannelConsumer]] = [:]
    var channels: [Int: Int] = [:]
    var order: [Int] = []
    for node in network.nodes {
      let input = node.inputs[0]
      /// The channel space of `name`, which an earlier node (or the image) must have written.
      func space(_ name: String) throws -> Int {
        guard let s = spaceOf[name] else {
          throw PruningError.invalidGraph(
            "node '\(node.name)' reads '\(name)', which no earlier node writes")
        }
        return s
      }
      switch node.operation {
      case .conv(let c):
        let s = make()
        spaceOf[node.name] = s
        producers[s] = [node.name]
        channels[s] = c.outChannels
        order.append(s)
        consumers[try space(input), default: []].append(
          ChannelConsumer(node: node.name, kind: .conv, featuresPerChannel: 1))
      case .linear:
        let s = make()
        spaceOf[node.name] = s
        blocked.insert(s)
        consumers[try space(input), default: []].append(
          ChannelConsumer(
            node: node.name, kind: .linear, featuresPerChannel: perChannel[input] ?? 1))
      case .shortcutPad(let p):
        let s = make()
        spaceOf[node.name] = s
        pads[s] = [node.name]
        channels[s] = p.outChannels
        consumers[try space(input), default: []].append(
          ChannelConsumer(node: node.name, kind: .shortcut, featuresPerChannel: 1))
      case .add:
        union(try space(input), try space(node.inputs[1]))
        spaceOf[node.name] = try space(input)
      case .batchNorm:
        spaceOf[node.name] = try space(input)
        norms[try space(input), default: []].append(node.name)
      case .flatten:
        spaceOf[node.name] = try space(input)
        guard let shape = shapes[input] else {
          throw PruningError.invalidGraph("no output shape for '\(input)', read by '\(node.name)'")
        }
        perChannel[node.name] = shape.count == 3 ? shape[1] * shape[2] : 1
      case .relu, .maxPool, .avgPool, .globalAvgPool:
        spaceOf[node.name] = try space(input)
        perChannel[node.name] = perChannel[input]
      }
    }
    // Merge per root.
    var merged: [Int: ChannelGroup] = [:]
    var blockedRoots = Set(blocked.map(find))
    var rootOrder: [Int] = []
    for s in parent.indices {
      let r = find(s)
      if blocked.contains(s) { blockedRoots.insert(r) }
      var g =
        merged[r]
        ?? ChannelGroup(
          id: "", channels: 0, producers: [], shortcutProducers: [], batchNorms: [], consumers: [])
      g.producers += producers[s] ?? []
      g.shortcutProducers += pads[s] ?? []
      g.batchNorms += norms[s] ?? []
      g.consumers += consumers[s] ?? []
      if let c = channels[s] {
        if g.channels != 0 && g.channels != c {
          throw PruningError.invalidGraph(
            "channels joined by an add disagree (\(g.channels) vs \(c))")
        }
        g.channels = c
      }
      merged[r] = g
    }
    for s in order where !rootOrder.contains(find(s)) { rootOrder.append(find(s)) }
    let nodeIndex = Dictionary(
      uniqueKeysWithValues: network.nodes.enumerated().map { ($1.name, $0) })
    groups = rootOrder.compactMap { r -> ChannelGroup? in
      guard !blockedRoots.contains(r), var g = merged[r], !g.producers.isEmpty else { return nil }
      // Every name in a group is a node of the network, so both lookups succeed.
      let byOrder = { (a: String, b: String) in
        nodeIndex[a, default: .max] < nodeIndex[b, default: .max]
      }
      g.producers.sort(by: byOrder)
      g.shortcutProducers.sort(by: byOrder)
      g.batchNorms.sort(by: byOrder)
      g.consumers.sort { byOrder($0.node, $1.node) }
      g.id = g.isResidualStream ? "stream:" + g.producers[0] : g.producers[0]
      return g
    }
    fingerprint = network.fingerprint
  }
}
