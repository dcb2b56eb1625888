import NeuralNet

/// Which channels one group loses.
public struct GroupPlan: Hashable, Sendable, Codable {
  /// The group's id (see ``ChannelGroup/id``).
  public var group: String
  /// Channels before pruning.
  public var channels: Int
  /// Channel indices removed, ascending.
  public internal(set) var removed: [Int]

  /// Channels kept, ascending.
  public var kept: [Int] {
    let gone = Set(removed)
    return (0..<channels).filter { !gone.contains($0) }
  }
}

/// A pruning plan is a value: per channel group, which channels go, with the criterion, ratio,
/// allocation strategy and selection that made it, and the fingerprint of the network it was
/// made for (a plan for another model is refused).
///
/// ```swift
/// let plan = try Planner(network: net, groups: groups).plan(scores: s, ratio: 0.5)
/// let small = try Surgery.prune(net, with: plan)
/// ```
public struct PruningPlan: Hashable, Sendable, Codable {
  /// Model name of the network the plan was made for.
  public var model: String
  /// ``NeuralNet/Network/fingerprint`` of that network.
  public var fingerprint: String
  /// The criterion whose scores ranked the channels.
  public var criterion: String
  /// The requested ratio (of channels, or of FLOPs/params for targeted strategies).
  public internal(set) var ratio: Double
  /// The allocation strategy, with its options.
  public internal(set) var strategy: AllocationStrategy
  /// The selection rule.
  public var selection: SelectionRule
  /// Per group, in graph order; groups the plan leaves alone have empty `removed`.
  public var groups: [GroupPlan]
  /// The threshold the allocation searched, when it searched one: for balanced allocation the
  /// loss change δ every group was cut up to. Nil for the other strategies (and for plans
  /// archived before plans kept it).
  public internal(set) var threshold: Double?
  /// The rounding of kept counts to a multiple, when the plan was aligned (nil in plans
  /// written before alignment existed, and in unaligned ones).
  public var alignment: ChannelAlignment?

  /// A plan; ``Planner`` makes them.
  public init(
    model: String, fingerprint: String, criterion: String, ratio: Double,
    strategy: AllocationStrategy, selection: SelectionRule, groups: [GroupPlan]
  ) {
    self.model = model
    self.fingerprint = fingerprint
    self.criterion = criterion
    self.ratio = ratio
    self.strategy = strategy
    self.selection = selection
    self.groups = groups
  }

  enum CodingKeys: String, CodingKey {
    case model, fingerprint, criterion, ratio, strategy, selection, groups, threshold, alignment
  }

  /// Decodes a plan; a `strategy` stored as a bare name (plans written before the strategy
  /// kept its options) reads as that strategy with its default options.
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    model = try c.decode(String.self, forKey: .model)
    fingerprint = try c.decode(String.self, forKey: .fingerprint)
    criterion = try c.decode(String.self, forKey: .criterion)
    ratio = try c.decode(Double.self, forKey: .ratio)
    if let name = try? c.decode(String.self, forKey: .strategy) {
      guard let s = AllocationStrategy(name: name) else {
        throw DecodingError.dataCorruptedError(
          forKey: .strategy, in: c,
          debugDescription: "unknown allocation strategy '\(name)'; expected uniform, global, "
            + "balanced or clr")
      }
      strategy = s
    } else {
      strategy = try c.decode(AllocationStrategy.self, forKey: .strategy)
    }
    selection = try c.decode(SelectionRule.self, forKey: .selection)
    groups = try c.decode([GroupPlan].self, forKey: .groups)
    threshold = try c.decodeIfPresent(Double.self, forKey: .threshold)
    if let threshold, !threshold.isFinite {
      throw DecodingError.dataCorruptedError(
        forKey: .threshold, in: c, debugDescription: "the threshold must be a finite number")
    }
    alignment = try c.decodeIfPresent(ChannelAlignment.self, forKey: .alignment)
  }

  /// Channels removed in all.
  public var removedCount: Int { groups.reduce(0) { $0 + $1.removed.count } }

  /// The plan for group `id`.
  public func group(_ id: String) -> GroupPlan? { groups.first { $0.group == id } }

  /// Checks that the plan fits `network`: same fingerprint, known groups, indices in range, at
  /// least one channel kept per group.
  public func validate(for network: Network, groups found: ChannelGroups) throws {
    guard fingerprint == network.fingerprint else {
      throw PruningError.invalidPlan(
        "it was made for another model ('\(model)', fingerprint \(fingerprint)); this is "
          + "'\(network.name)' (fingerprint \(network.fingerprint)) — make a new plan for it")
    }
    for g in groups {
      guard let real = found.group(id: g.group) else {
        throw PruningError.invalidPlan(
          "unknown layer group '\(g.group)'; groups of \(network.name): "
            + found.groups.map(\.id).joined(separator: ", "))
      }
      guard g.channels == real.channels else {
        throw PruningError.invalidPlan(
          "group '\(g.group)' has \(real.channels) channels, the plan says \(g.channels)")
      }
      guard g.removed.allSatisfy({ $0 >= 0 && $0 < g.channels }),
        Set(g.removed).count == g.removed.count
      else {
        throw PruningError.invalidPlan(
          "group '\(g.group)': channel indices out of range or repeated")
      }
      guard g.removed.count < g.channels else {
        throw PruningError.invalidPlan(
          "group '\(g.group)' would lose all \(g.channels) channels; keep at least one")
      }
    }
  }
}
