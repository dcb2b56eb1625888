import NeuralNet
import TensorCore

#if canImport(Glibc)
  import Glibc
#endif

/// The allocation of Li et al. 2020, "Towards optimal filter pruning with balanced performance
/// and pruning speed" (ALGORITHMS.md §3.3), cached-curve variant:
///
/// 1. `L₀` = loss of the unpruned network on the calibration set (evaluation mode).
/// 2. For every group `u`, channels sorted by score ascending; for `q = 0, g, 2g, …` the loss
///    with only `u`'s `q` lowest channels masked gives `ΔL_u(q) = L − L₀`, made monotone by a
///    running maximum. (Signed: a cut that lowers the loss counts as acceptable.)
/// 3. For a threshold δ, `q_u(δ) = max{q : ΔL_u(q) ≤ δ}`, never more than `N_u − floor`.
/// 4. δ is found by bracketing (start 1e-3, doubling) and bisection in log δ so that the FLOPs
///    (or parameter) reduction of the pruned network reaches the target; the smallest such δ
///    found in 40 bisection steps is used. `R(δ)` is computed from the physically pruned graph,
///    so consumers' input channels are counted.
///
/// This is the independent-measurement variant; the sequential variant of §3.3 step 6 is not
/// implemented.
struct BalancedAllocation: ChannelAllocator {
  /// What the reduction `ratio` is measured in.
  public internal(set) var target: ReductionTarget
  /// Step between the cut sizes measured per group; nil: `max(1, N/16)`.
  public internal(set) var granularity: Int?

  /// The allocator reaching `ratio` of `target`.
  public init(target: ReductionTarget, granularity: Int?) {
    self.target = target
    self.granularity = granularity
  }

  public func counts(_ input: AllocationInput) throws -> [String: Int] {
    guard let calibration = input.calibration else {
      throw PruningError.invalidOption(
        "balanced allocation needs calibration data (a data set to measure the loss on)")
    }
    var scores: [String: [Double]] = [:]
    for g in input.groups { scores[g.id] = try input.scores(of: g) }
    return try BalancedSearch(
      network: input.network, groups: input.groups, scores: scores, calibration: calibration,
      minimumChannels: input.minimumChannels, granularity: granularity
    ).counts(target: target, reduction: input.ratio)
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
  let granularity: Int?

  /// Loss-variation curves: per group, the candidate counts and the monotone ΔL at each.
  func curves() throws -> [String: (counts: [Int], delta: [Double])] {
    let evaluator = try MaskedEvaluator(network: network, calibration: calibration)
    let base = try evaluator.evaluate(network).loss
    var result: [String: (counts: [Int], delta: [Double])] = [:]
    for g in groups {
      let limit = g.channels - minimumChannels
      guard limit > 0 else {
        result[g.id] = ([0], [0])
        continue
      }
      let step = max(1, granularity ?? max(1, g.channels / 16))
      var qs = Array(stride(from: 0, through: limit, by: step))
      if qs.last != limit { qs.append(limit) }
      var deltas: [Double] = []
      var running = -Double.infinity
      for q in qs {
        var d = 0.0
        if q > 0 {
          let plan = single(g, q)
          let masked = try Surgery.mask(network, with: plan)
          d = try evaluator.evaluate(masked).loss - base
        }
        running = max(running, d)
        deltas.append(running)
      }
      result[g.id] = (qs, deltas)
    }
    return result
  }

  /// A plan cutting the `q` lowest channels of `g` only.
  func single(_ g: ChannelGroup, _ q: Int) -> PruningPlan {
    // Invariant: `scores` has an entry for every group (BalancedAllocation.counts fills it).
    PruningPlan(
      model: network.name, fingerprint: network.fingerprint, criterion: "",
      ratio: 0, strategy: .balanced(target: .flops, granularity: granularity), selection: .topK,
      groups: [
        GroupPlan(
          group: g.id, channels: g.channels, removed: Planner.lowest(q, of: scores[g.id] ?? []))
      ])
  }

  func counts(target: ReductionTarget, reduction: Double) throws -> [String: Int] {
    let curves = try self.curves()
    func countsFor(_ delta: Double) -> [String: Int] {
      var c: [String: Int] = [:]
      for g in groups {
        var q = 0
        guard let curve = curves[g.id] else {  // curves() measures every group; not reached
          c[g.id] = 0
          continue
        }
        for (k, d) in zip(curve.counts, curve.delta) where d <= delta { q = k }
        c[g.id] = q
      }
      return c
    }
    let base = measure(network, target)
    func achieved(_ delta: Double) throws -> Double {
      let counts = countsFor(delta)
      let plan = PruningPlan(
        model: network.name, fingerprint: network.fingerprint, criterion: "",
        ratio: 0, strategy: .balanced(target: .flops, granularity: granularity), selection: .topK,
        groups: groups.map { g in
          GroupPlan(
            group: g.id, channels: g.channels,
            removed: Planner.lowest(counts[g.id] ?? 0, of: scores[g.id] ?? []))
        })
      let pruned = try Surgery.prune(network, with: plan)
      return 1 - Double(measure(pruned, target)) / Double(base)
    }
    if reduction <= 0 { return countsFor(-.infinity) }
    var hi = 1e-3
    var tries = 0
    while try achieved(hi) < reduction {
      hi *= 2
      tries += 1
      if tries > 60 { return countsFor(.infinity) }  // the floors cap the reduction
    }
    var lo = hi / 1e6
    if try achieved(lo) >= reduction { return countsFor(lo) }
    for _ in 0..<40 {
      let mid = exp((log(lo) + log(hi)) / 2)
      if try achieved(mid) >= reduction { hi = mid } else { lo = mid }
    }
    return countsFor(hi)
  }

  private func measure(_ network: Network, _ target: ReductionTarget) -> Int {
    target == .flops ? network.macs : network.parameterCount
  }
}
