/// What rounding kept channel counts to a multiple changed in a plan: the multiple, whether it
/// was the engine's own block size (`align=auto`), and per group whose count moved the kept
/// count before and after.
///
/// Why: the engine keeps activations in blocks of ``multiple`` channels (nChw16c), so a group
/// cut to 37 channels computes as 48; a kept count that is a multiple pays for no padding.
///
/// The rule (``align(removed:groups:multiple:minimumChannels:measure:)``): each group's kept
/// count `k` goes to one of its two neighbouring multiples — `down = ⌊k/m⌋·m` or
/// `up = ⌈k/m⌉·m` — never to zero (`down = 0` is not a choice) and never below the floor. A
/// group whose `up` exceeds its width keeps all its channels when `down` is not a choice (a
/// group narrower than `m`: the layout pads it to `m` anyway, so cutting it saves no time).
/// Starting from every group rounded down, groups are rounded up one at a time — smallest
/// `up − k` first, then graph order — as long as the reduction the allocation measures stays at
/// least what the unaligned counts reached ("up where the ratio allows"). When the rounded-down
/// counts already fall short of it (a group cut to one channel comes back to `m`), groups are
/// first lowered by further multiples — the largest gain of the measure first, never below the
/// floor or to zero — until it is reached. So every aligned kept count is a multiple of `m` or
/// the group's full width, and exceeds the unaligned count by at most `m − 1`.
///
/// ```swift
/// let a = ChannelAlignment.align(removed: ["conv1": 27], groups: g, multiple: 16,
///                                minimumChannels: 1) { removed in fraction(removed) }
/// a.removed["conv1"]  // 32 (kept 32 of 64, not 37)
/// ```
public struct ChannelAlignment: Hashable, Sendable, Codable {
  /// One group whose kept count the rounding changed.
  public struct Change: Hashable, Sendable, Codable {
    /// The group's id.
    public var group: String
    /// Its channels before pruning.
    public var channels: Int
    /// Kept channels before rounding (what the allocation chose).
    public var unaligned: Int
    /// Kept channels after rounding.
    public var aligned: Int
  }

  /// The multiple kept counts are rounded to.
  public var multiple: Int
  /// True when the multiple is the engine's block size, asked for as `align=auto` (or
  /// `align=latency`).
  public var automatic: Bool
  /// True when the choice between neighbouring multiples followed a latency model
  /// (`align=latency`, ``lowerLatency(removed:unaligned:groups:multiple:minimumChannels:measure:cost:)``).
  public var byLatency: Bool
  /// The groups whose kept count moved, in graph order.
  public var changes: [Change]

  /// A record of a rounding.
  public init(multiple: Int, automatic: Bool, byLatency: Bool = false, changes: [Change]) {
    self.multiple = multiple
    self.automatic = automatic
    self.byLatency = byLatency
    self.changes = changes
  }

  private enum CodingKeys: String, CodingKey {
    case multiple, automatic, byLatency, changes
  }

  /// Decodes a record; one written before `align=latency` existed has ``byLatency`` false.
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    multiple = try c.decode(Int.self, forKey: .multiple)
    automatic = try c.decode(Bool.self, forKey: .automatic)
    byLatency = try c.decodeIfPresent(Bool.self, forKey: .byLatency) ?? false
    changes = try c.decode([Change].self, forKey: .changes)
  }

  /// Rounds the kept counts of `groups` (removed counts in `removed`, missing = 0) to multiples
  /// of `multiple` by the rule above; `measure` is the allocation's reduction for a removed
  /// count per group (larger = more removed). Returns the aligned removed counts and the record.
  public static func align(
    removed: [String: Int], groups: [ChannelGroup], multiple m: Int, minimumChannels: Int,
    measure: ([String: Int]) -> Double
  ) throws -> (removed: [String: Int], record: ChannelAlignment) {
    guard m >= 1 else {
      throw PruningError.invalidOption("align must be at least 1 channel, got \(m)")
    }
    var choices: [(group: ChannelGroup, kept: Int, down: Int, up: Int)] = []
    for g in groups {
      let kept = g.channels - min(max(removed[g.id] ?? 0, 0), g.channels)
      let floor = max(minimumChannels, 1)
      var up = (kept + m - 1) / m * m
      var down = kept / m * m
      if up > g.channels { up = g.channels }
      if down < floor { down = up }
      choices.append((g, kept, down, up))
    }
    var result: [String: Int] = [:]
    for c in choices { result[c.group.id] = c.group.channels - c.down }
    let unalignedRemoved = Dictionary(
      uniqueKeysWithValues: choices.map { ($0.group.id, $0.group.channels - $0.kept) })
    let goal = measure(unalignedRemoved)
    // Never-zero and the floors can leave the rounded-down counts short of the goal (a group
    // cut to 1 channel comes back to m): then the group whose next multiple down gains the
    // most is lowered by one more multiple, until the goal is reached or nothing can go.
    var current = measure(result)
    let floor = max(minimumChannels, 1)
    while current < goal - 1e-12 {
      var best: (gain: Double, index: Int, removed: Int)?
      for (i, c) in choices.enumerated() {
        let kept = c.group.channels - (result[c.group.id] ?? 0)
        let lower = (kept - 1) / m * m
        guard lower >= floor, lower > 0 else { continue }
        var trial = result
        trial[c.group.id] = c.group.channels - lower
        let gain = measure(trial) - current
        if best.map({ gain > $0.gain }) ?? true { best = (gain, i, c.group.channels - lower) }
      }
      guard let step = best else { break }
      result[choices[step.index].group.id] = step.removed
      current = measure(result)
    }
    let order = choices.indices.filter { choices[$0].up != choices[$0].down }.sorted { a, b in
      (choices[a].up - choices[a].kept, a) < (choices[b].up - choices[b].kept, b)
    }
    for i in order {
      let c = choices[i]
      // Only a group still at its rounded-down count goes up (not one lowered further above).
      guard result[c.group.id] == c.group.channels - c.down else { continue }
      var trial = result
      trial[c.group.id] = c.group.channels - c.up
      if measure(trial) >= goal - 1e-12 { result = trial }
    }
    let changes = Self.changes(from: unalignedRemoved, to: result, groups: groups)
    return (result, ChannelAlignment(multiple: m, automatic: false, changes: changes))
  }

  /// The groups whose kept count differs between two removed counts per group (missing = 0),
  /// in the order of `groups`: what a rounding changed.
  static func changes(
    from unaligned: [String: Int], to aligned: [String: Int], groups: [ChannelGroup]
  ) -> [Change] {
    groups.compactMap { g in
      let before = g.channels - min(max(unaligned[g.id] ?? 0, 0), g.channels)
      let after = g.channels - min(max(aligned[g.id] ?? 0, 0), g.channels)
      guard before != after else { return nil }
      return Change(group: g.id, channels: g.channels, unaligned: before, aligned: after)
    }
  }

  /// Moves aligned counts between multiples where `cost` — a latency model's predicted time
  /// for removed counts per group — falls (`align=latency`): the kernels here do not cost
  /// channels in proportion (an odd number of 16-channel blocks can run slower than the even
  /// one above it), so among the roundings that keep the reduction asked, one may be faster.
  ///
  /// The search [impl]: from `removed` (``align(removed:groups:multiple:minimumChannels:measure:)``'s
  /// result), moves of one group up or down by a multiple (never above its unaligned kept
  /// count's `up`: the bound of `align` holds; never below the floor or to zero) and pairs of
  /// one group up and another down; a move is taken when the measure stays at least the
  /// unaligned counts' and at most the larger of that and the rounding's own plus
  /// ``latencySlack`` (a move must not prune much more than asked: a group down alone is one
  /// of the small late layers, 368 → 352 channels at 2×2 pixels, not a wide early one), and the
  /// cost falls by more than ``latencyGain``; the best such move each time, until none is left
  /// (at most 4 × the groups' count of moves). Deterministic: ties go to graph order.
  public static func lowerLatency(
    removed: [String: Int], unaligned: [String: Int], groups: [ChannelGroup], multiple m: Int,
    minimumChannels: Int, measure: ([String: Int]) -> Double, cost: ([String: Int]) -> Double
  ) -> [String: Int] {
    let floor = max(minimumChannels, 1)
    let goal = measure(unaligned)
    // The highest kept count each group may reach: its unaligned count rounded up.
    var ceiling: [String: Int] = [:]
    for g in groups {
      let kept = g.channels - min(max(unaligned[g.id] ?? 0, 0), g.channels)
      ceiling[g.id] = min((kept + m - 1) / m * m, g.channels)
    }
    let upper = max(measure(removed), goal) + latencySlack
    func kept(_ r: [String: Int], _ g: ChannelGroup) -> Int { g.channels - (r[g.id] ?? 0) }
    /// The group's kept count one multiple up (nil above its ceiling).
    func raised(_ r: [String: Int], _ g: ChannelGroup) -> Int? {
      let k = kept(r, g)
      let next = min((k / m + 1) * m, g.channels)
      return next > k && next <= (ceiling[g.id] ?? g.channels) ? next : nil
    }
    /// One multiple down (nil at the floor or zero).
    func lowered(_ r: [String: Int], _ g: ChannelGroup) -> Int? {
      let k = kept(r, g)
      let next = (k - 1) / m * m
      return next >= floor && next > 0 ? next : nil
    }
    var result = removed
    var current = cost(result)
    for _ in 0..<(4 * max(groups.count, 1)) {
      var best: (cost: Double, removed: [String: Int])?
      func consider(_ trial: [String: Int]) {
        let reached = measure(trial)
        guard reached >= goal - 1e-12, reached <= upper + 1e-12 else { return }
        let c = cost(trial)
        guard c < current * (1 - latencyGain), c < (best?.cost ?? .infinity) else { return }
        best = (c, trial)
      }
      for b in groups {
        guard let down = lowered(result, b) else { continue }
        var trial = result
        trial[b.id] = b.channels - down
        consider(trial)
      }
      for a in groups {
        guard let up = raised(result, a) else { continue }
        var trial = result
        trial[a.id] = a.channels - up
        consider(trial)
        for b in groups where b.id != a.id {
          guard let down = lowered(result, b) else { continue }
          var pair = trial
          pair[b.id] = b.channels - down
          consider(pair)
        }
      }
      guard let step = best else { break }
      result = step.removed
      current = step.cost
    }
    return result
  }

  /// How far over the reduction the rounding reached a latency move may go, in the measure's
  /// units (0.01: one percentage point of FLOPs, parameters, channels or predicted latency).
  public static let latencySlack = 0.01
  /// The least relative fall of the predicted time a latency move must bring (0.1%: less is
  /// within the model's own noise).
  public static let latencyGain = 0.001

  /// The fraction of all channels of `groups` that `removed` takes away: the measure of the
  /// strategies whose ratio counts channels (uniform, global, clr).
  public static func channelFraction(_ groups: [ChannelGroup]) -> ([String: Int]) -> Double {
    let total = Double(max(groups.reduce(0) { $0 + $1.channels }, 1))
    return { removed in Double(groups.reduce(0) { $0 + (removed[$1.id] ?? 0) }) / total }
  }
}

/// How kept channel counts are rounded: to a given multiple, or to the engine's block size.
public enum AlignmentSetting: Hashable, Sendable, Codable {
  /// Round to this many channels.
  case multiple(Int)
  /// Round to the block size of the engine's activation layout (16 for nChw16c).
  case automatic
  /// Round to the engine's block, then choose between neighbouring multiples by a latency model
  /// (``ChannelAlignment/lowerLatency(removed:unaligned:groups:multiple:minimumChannels:measure:cost:)``;
  /// `align=latency`, needs `latency=`).
  case latency
}
