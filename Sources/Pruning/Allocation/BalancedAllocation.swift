import NeuralNet
import TensorCore

#if canImport(Glibc)
  import Glibc
#endif

/// Which variant of Li et al.'s measurement (ALGORITHMS.md §3.3).
public enum BalancedMode: String, Hashable, Sendable, Codable, CaseIterable {
  /// Steps 2–5: every group's loss curve measured on the unpruned network, cached; δ found on
  /// the cached curves (no forward pass per trial).
  case cached
  /// Step 6: groups cut in graph order, each group's loss variation measured on the network
  /// already cut before it (relative to the loss just before the group); one full pass per δ
  /// trial, started from the cached search's δ.
  case sequential
}

/// The allocation of Li et al. 2020, "Towards optimal filter pruning with balanced performance
/// and pruning speed" (ALGORITHMS.md §3.3):
///
/// 1. `L₀` = loss of the unpruned network on the calibration set (evaluation mode).
/// 2. For every group `u`, channels sorted by score ascending; for `q = 0, g, 2g, …` the loss
///    with only `u`'s `q` lowest channels masked gives `ΔL_u(q) = L − L₀`, made monotone by a
///    running maximum. (Signed: a cut that lowers the loss counts as acceptable.)
/// 3. For a threshold δ, `q_u(δ) = max{q : ΔL_u(q) ≤ δ}`, never more than `N_u − floor`.
/// 4. δ is searched over the curves' own values — all of them, negative ones included (an
///    untrained network often has many cuts with `ΔL ≤ 0`; a search over positive δ only took
///    all of them at once and removed 74% of the FLOPs where 50% was asked). Each curve step
///    is one increment ordered by its ΔL (ties: graph order, then size); the allocation is the
///    shortest prefix of increments whose reduction reaches the target, found by bisection with
///    the counts from ``ChannelArithmetic`` (no surgery). So the reduction reached is at least
///    the target and exceeds it by at most one increment (`g` channels of one group). When the
///    floors keep the target out of reach, every group is cut to its floor.
/// 5. `sequential` (step 6): the cut of each group in graph order is decided on the network
///    already cut before it (its ΔL relative to the loss just before it), and the pass stops at
///    the group whose cut reaches the target, cutting that one only as far as needed; δ is the
///    smallest one whose pass reaches the target, bracketed around the cached δ* and bisected
///    (16 steps, one full pass of measurements each).
///
/// Either way the reduction reached is in `[target, target + one step of one group]`; on
/// networks of a realistic width that is within ``tolerance`` (0.5 pp), on tiny ones one
/// channel can weigh more, and the plan's value warns then.
struct BalancedAllocation: ChannelAllocator {
  /// The stated tolerance of the search (``AllocationStrategy/balancedTolerance``).
  static let tolerance = AllocationStrategy.balancedTolerance

  /// What the reduction `ratio` is measured in.
  public internal(set) var target: ReductionTarget
  /// Step between the cut sizes measured per group; nil: 1 channel (§3.5).
  public internal(set) var granularity: Int?
  /// Cached (independent) or sequential measurement.
  public internal(set) var mode: BalancedMode

  /// The allocator reaching `ratio` of `target`.
  public init(target: ReductionTarget, granularity: Int?, mode: BalancedMode = .cached) {
    self.target = target
    self.granularity = granularity
    self.mode = mode
  }

  func measure(_ input: AllocationInput) throws -> ([String: Int]) -> Double {
    try input.measure(of: target)
  }

  public func counts(_ input: AllocationInput) throws -> [String: Int] {
    try allocate(input).counts
  }

  /// The counts and the δ they correspond to (nil when no finite δ decided them: a target of
  /// 0, or one out of reach).
  func allocate(_ input: AllocationInput) throws -> (counts: [String: Int], threshold: Double?) {
    guard let calibration = input.calibration else {
      throw PruningError.invalidOption(
        "balanced allocation needs calibration data (a data set to measure the loss on)")
    }
    if let g = granularity, g < 1 {
      throw PruningError.invalidOption("the step (granularity) must be at least 1 channel")
    }
    var scores: [String: [Double]] = [:]
    for g in input.groups { scores[g.id] = try input.scores(of: g) }
    let search = try BalancedSearch(
      network: input.network, groups: input.groups, scores: scores, calibration: calibration,
      minimumChannels: input.minimumChannels, granularity: granularity ?? 1, target: target,
      latency: target == .latency ? try input.latencyModel() : nil)
    let cached = try search.cached(reduction: input.ratio)
    switch mode {
    case .cached:
      return (cached.counts, cached.delta.isFinite ? cached.delta : nil)
    case .sequential:
      let found = try search.sequential(reduction: input.ratio, start: cached.delta)
      return (found.counts, found.delta.flatMap { $0.isFinite ? $0 : nil })
    }
  }
}

/// The measurements and the δ search of ``BalancedAllocation`` over one network.
struct BalancedSearch {
  let network: Network
  let groups: [ChannelGroup]
  /// Per group id of ``groups``: its channel scores (checked by ``BalancedAllocation``).
  let scores: [String: [Double]]
  let calibration: Calibration
  let minimumChannels: Int
  let granularity: Int
  let target: ReductionTarget
  let arithmetic: ChannelArithmetic
  let base: Int
  /// The latency model of `target == .latency`.
  let latency: LatencyModel?

  init(
    network: Network, groups: [ChannelGroup], scores: [String: [Double]],
    calibration: Calibration, minimumChannels: Int, granularity: Int, target: ReductionTarget,
    latency: LatencyModel? = nil
  ) throws {
    self.latency = latency
    self.network = network
    self.groups = groups
    self.scores = scores
    self.calibration = calibration
    self.minimumChannels = minimumChannels
    self.granularity = granularity
    self.target = target
    arithmetic = try ChannelArithmetic(network: network)
    base = target == .flops ? arithmetic.macs() : arithmetic.parameters()
  }

  /// The reduction with `removed[g]` channels of each group gone, from the group arithmetic.
  func reduction(_ removed: [String: Int]) -> Double {
    if target == .latency, let latency { return latency.reduction(removed: removed) }
    let after =
      target == .flops ? arithmetic.macs(removed: removed) : arithmetic.parameters(removed: removed)
    return 1 - Double(after) / Double(max(base, 1))
  }

  /// The cut sizes measured for `g`: `0, step, 2·step, …` and the most the floor allows.
  func candidates(_ g: ChannelGroup) -> [Int] {
    let limit = g.channels - minimumChannels
    guard limit > 0 else { return [0] }
    var qs = Array(stride(from: 0, through: limit, by: granularity))
    if qs.last != limit { qs.append(limit) }
    return qs
  }

  /// Loss-variation curves: per group, the candidate counts and the monotone ΔL at each.
  func curves() throws -> [String: (counts: [Int], delta: [Double])] {
    let evaluator = try MaskedEvaluator(network: network, calibration: calibration)
    let base = try evaluator.evaluate(network).loss
    var result: [String: (counts: [Int], delta: [Double])] = [:]
    for g in groups {
      let qs = candidates(g)
      var deltas: [Double] = []
      var running = -Double.infinity
      for q in qs {
        var d = 0.0
        if q > 0 {
          let masked = try Surgery.mask(network, with: plan([g.id: q]))
          d = try evaluator.evaluate(masked).loss - base
        }
        running = max(running, d)
        deltas.append(running)
      }
      result[g.id] = (qs, deltas)
    }
    return result
  }

  /// A plan cutting the `removed[g]` lowest channels of each group `g`.
  func plan(_ removed: [String: Int]) -> PruningPlan {
    // Invariant: `scores` has an entry for every group (BalancedAllocation.counts fills it).
    PruningPlan(
      model: network.name, fingerprint: network.fingerprint, criterion: "",
      ratio: 0, strategy: .balanced(target: target, granularity: granularity), selection: .topK,
      groups: groups.compactMap { g in
        guard let q = removed[g.id], q > 0 else { return nil }
        return GroupPlan(
          group: g.id, channels: g.channels, removed: Planner.lowest(q, of: scores[g.id] ?? []))
      })
  }

  /// Every group at its floor.
  func floors() -> [String: Int] {
    Dictionary(uniqueKeysWithValues: groups.map { ($0.id, candidates($0).last ?? 0) })
  }

  /// The cached search: counts and the δ* they correspond to (+∞ when the target is out of
  /// reach and every group is at its floor; −∞ for a zero target).
  func cached(reduction goal: Double) throws -> (counts: [String: Int], delta: Double) {
    let zero = Dictionary(uniqueKeysWithValues: groups.map { ($0.id, 0) })
    if goal <= 0 { return (zero, -.infinity) }
    if reduction(floors()) < goal { return (floors(), .infinity) }
    let curves = try self.curves()
    // One increment per curve step, in the order a growing δ admits them.
    var steps: [(delta: Double, group: Int, q: Int)] = []
    for (gi, g) in groups.enumerated() {
      guard let curve = curves[g.id] else { continue }  // curves() measures every group
      for i in curve.counts.indices.dropFirst() {
        steps.append((curve.delta[i], gi, curve.counts[i]))
      }
    }
    steps.sort { a, b in
      (a.delta, a.group, a.q) < (b.delta, b.group, b.q)
    }
    func counts(_ k: Int) -> [String: Int] {
      var c = zero
      for s in steps.prefix(k) { c[groups[s.group].id] = s.q }
      return c
    }
    // Smallest k with R(k) ≥ goal; R is non-decreasing in k (each increment removes channels).
    var lo = 0
    var hi = steps.count
    while hi - lo > 1 {
      let mid = (lo + hi) / 2
      if reduction(counts(mid)) >= goal { hi = mid } else { lo = mid }
    }
    return (counts(hi), hi > 0 ? steps[hi - 1].delta : -.infinity)
  }

  /// One sequential pass at threshold `delta`: per group in graph order, the largest candidate
  /// cut whose loss change on the network cut so far stays within `delta` (bisection over the
  /// candidates, taking the measured curve as monotone). The pass stops at the group whose cut
  /// reaches `goal`, taking that group's smallest candidate that reaches it; later groups keep
  /// all their channels.
  func pass(_ delta: Double, goal: Double, evaluator: MaskedEvaluator) throws -> [String: Int] {
    var decided: [String: Int] = [:]
    var before = try evaluator.evaluate(network).loss
    for g in groups {
      let qs = candidates(g)
      guard qs.count > 1 else { continue }
      var measured: [Int: Double] = [:]
      func change(_ i: Int) throws -> Double {
        if let d = measured[i] { return d }
        var trial = decided
        trial[g.id] = qs[i]
        let d = try evaluator.evaluate(try Surgery.mask(network, with: plan(trial))).loss - before
        measured[i] = d
        return d
      }
      var lo = 0
      var hi = qs.count - 1
      if try change(hi) <= delta {
        lo = hi
      } else {
        while hi - lo > 1 {
          let mid = (lo + hi) / 2
          if try change(mid) <= delta { lo = mid } else { hi = mid }
        }
      }
      guard lo > 0 else { continue }
      var trial = decided
      trial[g.id] = qs[lo]
      if reduction(trial) >= goal {
        // The smallest candidate of this group that reaches the goal (arithmetic only).
        var first = lo
        while first > 1 {
          trial[g.id] = qs[first - 1]
          if reduction(trial) < goal { break }
          first -= 1
        }
        decided[g.id] = qs[first]
        return decided
      }
      decided[g.id] = qs[lo]
      before += try change(lo)
    }
    return decided
  }

  /// The sequential search: the smallest δ (bracketed around the cached `start`, then 16
  /// bisection steps) whose pass reaches the goal; that pass's counts.
  func sequential(reduction goal: Double, start: Double) throws
    -> (counts: [String: Int], delta: Double?)
  {
    if goal <= 0 { return ([:], nil) }
    if start == .infinity { return (floors(), nil) }
    let evaluator = try MaskedEvaluator(network: network, calibration: calibration)
    var reaching: (delta: Double, counts: [String: Int])?
    func reaches(_ delta: Double) throws -> Bool {
      let counts = try pass(delta, goal: goal, evaluator: evaluator)
      guard reduction(counts) >= goal else { return false }
      if reaching.map({ delta < $0.delta }) ?? true { reaching = (delta, counts) }
      return true
    }
    let first = start.isFinite ? start : 0
    var scale = max(abs(first), 1e-4)
    var lo = first
    var hi = first
    var tries = 0
    if try reaches(first) {
      repeat {
        hi = lo
        lo = first - scale
        scale *= 2
        tries += 1
      } while try reaches(lo) && tries < 40
    } else {
      repeat {
        lo = hi
        hi = first + scale
        scale *= 2
        tries += 1
      } while try !reaches(hi) && tries < 40
    }
    for _ in 0..<16 {
      let mid = (lo + hi) / 2
      if try reaches(mid) { hi = mid } else { lo = mid }
    }
    return (reaching?.counts ?? floors(), reaching?.delta)
  }
}

extension AllocationStrategy {
  /// The stated tolerance of the balanced search: the reduction reached is in
  /// `[target, target + 0.5 pp]` unless one step of one group is larger (the plan's value
  /// warns then).
  public static let balancedTolerance = 0.005
}
