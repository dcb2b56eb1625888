/// One threshold over all groups' scores, each group's normalised first: the `ratio` of all
/// eligible channels with the lowest normalised scores go (ties: group id, then index), as long
/// as their group stays above the floor.
struct GlobalAllocation: ChannelAllocator {
  /// How each group's scores are rescaled before they are ranked together.
  public var normalization: GlobalScoreNormalization

  /// The allocator with `normalization`.
  public init(normalization: GlobalScoreNormalization) { self.normalization = normalization }

  public func counts(_ input: AllocationInput) throws -> [String: Int] {
    var all: [(score: Double, group: String, index: Int)] = []
    var capacity: [String: Int] = [:]
    for g in input.groups {
      let normalized = try normalization.apply(try input.scores(of: g))
      for (j, v) in normalized.enumerated() { all.append((v, g.id, j)) }
      capacity[g.id] = g.channels - input.minimumChannels
    }
    all.sort {
      $0.score < $1.score || ($0.score == $1.score && ($0.group, $0.index) < ($1.group, $1.index))
    }
    let target = Int((input.ratio * Double(all.count)).rounded())
    var counts: [String: Int] = [:]
    var removed = 0
    for entry in all where removed < target {
      // Every entry's group was given a capacity in the loop above.
      if counts[entry.group, default: 0] < capacity[entry.group, default: 0] {
        counts[entry.group, default: 0] += 1
        removed += 1
      }
    }
    return counts
  }
}
