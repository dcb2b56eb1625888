/// One threshold over all groups' scores, each group's normalised first: the `ratio` of all
/// eligible channels with the lowest normalised scores go (ties: group id, then index), as long
/// as their group stays above the floor. With a `target` (FLOPs, parameters, latency), the
/// shortest prefix of that same order whose removal reaches `ratio` of the target goes (found by
/// bisection, taking the reduction as growing with the prefix; all of it when out of reach).
struct GlobalAllocation: ChannelAllocator {
  /// How each group's scores are rescaled before they are ranked together.
  public var normalization: GlobalScoreNormalization
  /// What `ratio` measures; nil: channels.
  public var target: ReductionTarget?

  /// The allocator with `normalization`.
  public init(normalization: GlobalScoreNormalization, target: ReductionTarget? = nil) {
    self.normalization = normalization
    self.target = target
  }

  func measure(_ input: AllocationInput) throws -> ([String: Int]) -> Double {
    guard let target else { return ChannelAlignment.channelFraction(input.groups) }
    return try input.measure(of: target)
  }

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
    // The removal order: lowest first, skipping channels of groups at their floor.
    var order: [String] = []
    var taken: [String: Int] = [:]
    for entry in all where taken[entry.group, default: 0] < capacity[entry.group, default: 0] {
      // Every entry's group was given a capacity in the loop above.
      taken[entry.group, default: 0] += 1
      order.append(entry.group)
    }
    func counts(_ n: Int) -> [String: Int] {
      var c: [String: Int] = [:]
      for g in order.prefix(n) { c[g, default: 0] += 1 }
      return c
    }
    guard let target else {
      return counts(min(Int((input.ratio * Double(all.count)).rounded()), order.count))
    }
    let reduction = try input.measure(of: target)
    if input.ratio <= 0 { return [:] }
    if reduction(counts(order.count)) < input.ratio { return counts(order.count) }
    var lo = 0
    var hi = order.count
    while hi - lo > 1 {
      let mid = (lo + hi) / 2
      if reduction(counts(mid)) >= input.ratio { hi = mid } else { lo = mid }
    }
    return counts(hi)
  }
}
