#if canImport(Glibc)
  import Glibc
#endif

/// CLR-RNF's cross-layer ranking (ALGORITHMS.md §4.3): every weight of every eligible group's
/// producers scores `|w| / c_l^λ` (``ComputationFactors``); one threshold `T` keeps the
/// `⌊(1 − ratio)·n⌋` largest of all `n` values, and each group's share of values below `T` is
/// its pruning ratio (at least the floor is kept). Channel scores are not used.
struct CLRAllocation: ChannelAllocator {
  /// The exponent λ; nil takes ``CLRCriterion/defaultLambda(model:)``.
  public internal(set) var lambda: Double?

  /// The allocator with `lambda`.
  public init(lambda: Double?) { self.lambda = lambda }

  /// CLR-RNF prunes block-internal channels only.
  var prunesResidualStreamsByDefault: Bool { false }

  public func counts(_ input: AllocationInput) throws -> [String: Int] {
    let factors = try ComputationFactors(network: input.network).factors
    let lam = lambda ?? CLRCriterion.defaultLambda(model: input.network.name)
    var perGroup: [(ChannelGroup, [Double])] = []
    var all: [Double] = []
    for g in input.groups {
      var values: [Double] = []
      for p in g.producers {
        let c = pow(factors[p] ?? 1, lam)
        values += try input.weights(of: p).map { Double(abs($0)) / c }
      }
      perGroup.append((g, values))
      all += values
    }
    guard !all.isEmpty else { return [:] }
    all.sort(by: >)
    // T = the ⌊(1 − ratio)·|all|⌋-th largest value (keep threshold), as in the CLR-RNF code.
    let keep = max(1, Int((1 - input.ratio) * Double(all.count)))
    let threshold = all[min(keep, all.count) - 1]
    var counts: [String: Int] = [:]
    for (g, values) in perGroup {
      let below = values.filter { $0 < threshold }.count
      let p = Double(below) / Double(max(values.count, 1))
      let kept = max(input.minimumChannels, Int(Double(g.channels) * (1 - p)))
      counts[g.id] = g.channels - min(kept, g.channels)
    }
    return counts
  }
}
