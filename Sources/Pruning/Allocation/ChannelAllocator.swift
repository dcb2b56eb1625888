import NeuralNet

/// What an allocator decides from: the network, the groups it may cut, their channel scores,
/// the requested ratio and the floor every group keeps.
public struct AllocationInput: Sendable {
  /// The network being planned.
  public var network: Network
  /// The groups that may lose channels (residual streams already left out when excluded).
  public var groups: [ChannelGroup]
  /// Per group id, one score per channel (larger = keep); every group of ``groups`` has one.
  public var scores: [String: [Double]]
  /// The requested reduction, in `[0, 1)`; what it measures is the allocator's to say.
  public internal(set) var ratio: Double
  /// Channels every group keeps at least (≥ 1).
  public var minimumChannels: Int
  /// Calibration data, for allocators that measure the loss.
  public internal(set) var calibration: Calibration?
  /// The latency model, for allocators with `target=latency`.
  public internal(set) var latency: LatencyModel?

  /// An allocation problem.
  public init(
    network: Network, groups: [ChannelGroup], scores: [String: [Double]], ratio: Double,
    minimumChannels: Int, calibration: Calibration? = nil, latency: LatencyModel? = nil
  ) {
    self.latency = latency
    self.network = network
    self.groups = groups
    self.scores = scores
    self.ratio = ratio
    self.minimumChannels = minimumChannels
    self.calibration = calibration
  }

  /// The scores of `group`; throws when the planner handed in none (a caller's mistake).
  public func scores(of group: ChannelGroup) throws -> [Double] {
    guard let s = scores[group.id], s.count == group.channels else {
      throw PruningError.invalidPlan(
        "group '\(group.id)' has no \(group.channels) scores; score every conv of the model")
    }
    return s
  }

  /// The weights of `node`, which a channel group names as a producer.
  public func weights(of node: String) throws -> [Float] {
    guard let w = network.parameters[node + ".weight"] else {
      throw PruningError.invalidGraph(
        "conv '\(node)' of \(network.name) has no weights; rebuild or reload the model")
    }
    return w.scalars
  }
}

/// How many channels each group loses: one strategy of ``AllocationStrategy``.
///
/// The ``Planner`` computes group scores, filters the eligible groups, asks the allocator for
/// counts and then selects the channels; a new strategy (latency-aware, blended) is one type
/// conforming here and one case of ``AllocationStrategy`` mapping to it.
///
/// ```swift
/// let counts = try UniformAllocation().counts(input)  // ["conv1": 8, "conv2": 16, …]
/// ```
protocol ChannelAllocator: Sendable {
  /// Whether residual-stream groups are cut when the user does not say (CLR-RNF: no).
  var prunesResidualStreamsByDefault: Bool { get }
  /// Channels removed per group id of `input.groups`, each in `0...channels − floor`; a group
  /// missing from the result loses nothing.
  func counts(_ input: AllocationInput) throws -> [String: Int]
  /// The counts with the threshold that decided them, for strategies that search one
  /// (balanced: the loss change δ); nil for the others.
  func allocate(_ input: AllocationInput) throws -> (counts: [String: Int], threshold: Double?)
  /// The reduction the strategy's ratio measures, for removed counts per group: what
  /// ``ChannelAlignment`` keeps at least as large when it rounds.
  func measure(_ input: AllocationInput) throws -> ([String: Int]) -> Double
}

extension ChannelAllocator {
  /// The counts, with no threshold.
  func allocate(_ input: AllocationInput) throws -> (counts: [String: Int], threshold: Double?) {
    (try counts(input), nil)
  }

  /// Most strategies cut residual streams too.
  var prunesResidualStreamsByDefault: Bool { true }

  /// The share of the eligible groups' channels removed.
  func measure(_ input: AllocationInput) throws -> ([String: Int]) -> Double {
    ChannelAlignment.channelFraction(input.groups)
  }
}

extension AllocationInput {
  /// The measure of `target`: the share of FLOPs, parameters or predicted latency removed.
  func measure(of target: ReductionTarget) throws -> ([String: Int]) -> Double {
    switch target {
    case .latency:
      let model = try latencyModel()
      return { model.reduction(removed: $0) }
    case .flops, .params:
      let arithmetic = try ChannelArithmetic(network: network)
      let base = target == .flops ? arithmetic.macs() : arithmetic.parameters()
      return { removed in
        let after =
          target == .flops
          ? arithmetic.macs(removed: removed) : arithmetic.parameters(removed: removed)
        return 1 - Double(after) / Double(max(base, 1))
      }
    }
  }

  /// The latency model, checked against the network; throws when there is none.
  func latencyModel() throws -> LatencyModel {
    guard let model = latency else {
      throw PruningError.invalidOption(
        "target=latency needs a latency model of the network: lat = profile m, then "
          + "plan … target=latency latency=lat")
    }
    try model.validate(for: network)
    return model
  }
}
