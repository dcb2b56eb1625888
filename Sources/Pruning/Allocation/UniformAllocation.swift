/// The same fraction of every group: `round(ratio · N)` channels, capped by the floor.
struct UniformAllocation: ChannelAllocator {
  /// The allocator.
  public init() {}

  public func counts(_ input: AllocationInput) throws -> [String: Int] {
    Dictionary(
      uniqueKeysWithValues: input.groups.map { g in
        (
          g.id,
          min(Int((input.ratio * Double(g.channels)).rounded()), g.channels - input.minimumChannels)
        )
      })
  }
}
