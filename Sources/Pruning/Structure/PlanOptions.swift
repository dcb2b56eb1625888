/// What a targeted strategy measures its reduction in.
public enum ReductionTarget: String, Hashable, Sendable, Codable {
  /// Multiply–accumulates of conv and linear layers.
  case flops
  /// Trainable parameters.
  case params
}

/// How many channels each group loses.
public enum AllocationStrategy: Hashable, Sendable, Codable {
  /// The same fraction of every group (`ratio` of its channels, rounded).
  case uniform
  /// One threshold over all groups' (normalised) scores; `ratio` of all channels go.
  case global(normalization: GlobalScoreNormalization)
  /// Li et al. 2020 (ALGORITHMS.md §3): per group the largest cut whose loss increase on a fixed
  /// calibration subset stays under δ, with δ found by bisection so that the network loses
  /// `ratio` of its FLOPs (or parameters).
  case balanced(target: ReductionTarget, granularity: Int?)
  /// CLR-RNF's cross-layer ranking (ALGORITHMS.md §4.3): weights scored `|w| / c_l^λ`, one
  /// threshold removes `ratio` of the considered weights, each group's share below it is its
  /// pruning ratio. `lambda` nil takes the model's default.
  case clr(lambda: Double?)

  /// The strategy's short name.
  public var name: String {
    switch self {
    case .uniform: return "uniform"
    case .global: return "global"
    case .balanced: return "balanced"
    case .clr: return "clr"
    }
  }
}

/// Which channels of a group go, once the count is known.
public enum SelectionRule: String, Hashable, Sendable, Codable {
  /// Remove the lowest-scoring channels (ties: lower index goes first).
  case topK = "top-k"
  /// CLR-RNF's k-reciprocal nearest filters (ALGORITHMS.md §4.4): keep the filters with the
  /// smallest worst-case neighbour rank; scores are not used.
  case rnf
}

/// Options of ``Planner/plan(scores:ratio:options:calibration:rng:)``.
public struct PlanOptions: Hashable, Sendable, Codable {
  /// The allocation strategy.
  public var allocation: AllocationStrategy = .uniform
  /// The selection rule.
  public var selection: SelectionRule = .topK
  /// Channels every group keeps at least (never remove a whole layer).
  public var minimumChannels: Int = 1
  /// Whether residual-stream groups (several writers joined by adds) are pruned; CLR-RNF prunes
  /// block-internal channels only, so `clr` ignores streams unless this is set explicitly.
  public var includeResidualStreams: Bool? = nil

  /// Defaults: uniform, top-k, floor 1.
  public init(
    allocation: AllocationStrategy = .uniform, selection: SelectionRule = .topK,
    minimumChannels: Int = 1, includeResidualStreams: Bool? = nil
  ) {
    self.allocation = allocation
    self.selection = selection
    self.minimumChannels = minimumChannels
    self.includeResidualStreams = includeResidualStreams
  }
}
