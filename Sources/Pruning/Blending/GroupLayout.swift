import NeuralNet

/// The channel groups of a network as clustering and blending see them: id, producer convs,
/// width, and the **stage** — groups whose first producer writes maps of the same spatial size,
/// counted in graph order (`stage 0` before the first down-sampling, …).
///
/// ```swift
/// let layout = try GroupLayout(network: net)
/// layout.groups.map(\.stage)   // [0, 0, 1, 1, 2, …]
/// ```
public struct GroupLayout: Codable, Sendable, Equatable {
  /// One group.
  public struct Group: Codable, Sendable, Equatable {
    /// ``ChannelGroup/id``.
    public var id: String
    /// Its producer convolutions, in graph order.
    public var producers: [String]
    /// Channels.
    public var channels: Int
    /// Stage index (0-based).
    public var stage: Int
  }

  /// The groups, in the planner's order.
  public var groups: [Group]
  /// The network's ``NeuralNet/Network/fingerprint``.
  public var fingerprint: String
  /// The network's name.
  public var model: String
  /// ``WeightsDigest`` of the network (nil in older archives).
  public var weights: String?

  /// The layout of `network`.
  public init(network: Network) throws {
    let found = try ChannelGroups(network: network)
    let shapes = try network.outputShapes()
    var sizes: [[Int]] = []
    groups = found.groups.map { g in
      let shape = shapes[g.producers[0]] ?? []
      let size = Array(shape.dropFirst())
      if sizes.last != size { sizes.append(size) }
      return Group(
        id: g.id, producers: g.producers, channels: g.channels, stage: sizes.count - 1)
    }
    fingerprint = network.fingerprint
    model = network.name
    weights = WeightsDigest.of(network)
  }

  /// Number of stages.
  public var stageCount: Int { (groups.map(\.stage).max() ?? -1) + 1 }
}
