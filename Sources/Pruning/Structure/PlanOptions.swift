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
  /// Rounding of every group's kept count to a multiple (``ChannelAlignment``); nil: none.
  public var alignment: AlignmentSetting? = nil

  /// Defaults: uniform, top-k, floor 1.
  public init(
    allocation: AllocationStrategy = .uniform, selection: SelectionRule = .topK,
    minimumChannels: Int = 1, includeResidualStreams: Bool? = nil,
    alignment: AlignmentSetting? = nil
  ) {
    self.alignment = alignment
    self.allocation = allocation
    self.selection = selection
    self.minimumChannels = minimumChannels
    self.includeResidualStreams = includeResidualStreams
  }
}
