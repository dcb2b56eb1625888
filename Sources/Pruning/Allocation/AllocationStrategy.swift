/// How many channels each group loses.
public enum AllocationStrategy: Hashable, Sendable, Codable {
  /// The same fraction of every group (`ratio` of its channels, rounded).
  case uniform
  /// One threshold over all groups' (normalised) scores; `ratio` of all channels go, or with a
  /// `target` the fewest lowest-ranked channels that remove `ratio` of it (FLOPs, parameters,
  /// predicted latency).
  case global(normalization: GlobalScoreNormalization, target: ReductionTarget? = nil)
  /// Li et al. 2020 (ALGORITHMS.md §3): per group the largest cut whose loss increase on a fixed
  /// calibration subset stays under δ, with δ found by bisection so that the network loses
  /// `ratio` of its FLOPs (or parameters). `granularity` nil: 1 channel; `mode` nil: cached.
  case balanced(target: ReductionTarget, granularity: Int?, mode: BalancedMode? = nil)
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

  /// The allocator that carries the strategy out.
  var allocator: any ChannelAllocator {
    switch self {
    case .uniform: return UniformAllocation()
    case .global(let normalization, let target):
      return GlobalAllocation(normalization: normalization, target: target)
    case .balanced(let target, let granularity, let mode):
      return BalancedAllocation(target: target, granularity: granularity, mode: mode ?? .cached)
    case .clr(let lambda): return CLRAllocation(lambda: lambda)
    }
  }

  /// The strategy named `name` with its default options (`global`: l2 normalisation;
  /// `balanced`: FLOPs, one channel at a time, cached curves; `clr`: the model's λ), or nil. Reads plans
  /// written when the strategy was stored as its name.
  public init?(name: String) {
    switch name {
    case "uniform": self = .uniform
    case "global": self = .global(normalization: .l2)
    case "balanced": self = .balanced(target: .flops, granularity: nil)
    case "clr": self = .clr(lambda: nil)
    default: return nil
    }
  }
}
