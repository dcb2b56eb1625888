import NeuralNet

#if canImport(Glibc)
  import Glibc
#endif

/// CLR-RNF's computation-aware weight importance (Lin et al., TNNLS 2023; ALGORITHMS.md §4.3)
/// aggregated per filter: each weight scores `|w| / c_l^λ`, with `c_l` the layer's computation
/// factor (``ComputationFactors``), and a filter's score is the **sum** over its weights,
///
///     score_i = ℓ1(F_i) / c_l^λ.
///
/// Within a layer this orders filters as ℓ1 does; across layers it rescales them so that
/// layers in costlier units score lower and are pruned more. (CLR itself ranks individual
/// weights globally to set per-layer ratios; this per-filter sum is its filter-level view.)
///
/// `λ` defaults to the CLR-RNF code's value for the model: VGG 0.5, ResNet-56 10, ResNet-110 5;
/// the other CIFAR ResNets take ResNet-56's 10 (their block factors are the same), and any
/// other model 1 (the MobileNet value: plain FLOPs proportion).
struct CLRCriterion: Criterion {
  public let name = "clr"
  public let summary = "CLR-RNF weight importance |w| / c_l^λ summed per filter (Lin et al. 2023)"
  public let needs = CriterionNeeds.weights
  /// The exponent λ, or nil for the paper's default for the model.
  public internal(set) var lambda: Double?

  /// The criterion; `lambda` nil picks the model's default (``defaultLambda(model:)``).
  public init(lambda: Double? = nil) { self.lambda = lambda }

  /// The CLR-RNF code's λ for a zoo model name.
  static func defaultLambda(model: String) -> Double {
    switch model {
    case let m where m.hasPrefix("vgg"): return 0.5
    case "resnet110": return 5
    case "resnet20", "resnet32", "resnet56": return 10
    default: return 1
    }
  }

  /// Per-filter sums of `|w| / c_l^λ` for every conv.
  public func score(_ input: ScoringInput) throws -> LayerScores {
    let lambda = self.lambda ?? CLRCriterion.defaultLambda(model: input.network.name)
    guard lambda.isFinite, lambda >= 0 else {
      throw CriterionError.invalidOption(
        criterion: name, option: "lambda", value: "\(lambda)", expected: "a finite value ≥ 0")
    }
    let factors = try ComputationFactors(network: input.network).factors
    let graph = ConvGraph(network: input.network)
    return try graph.scoreEach(criterion: name) { layer in
      let scale = pow(factors[layer] ?? 1, lambda)
      return WeightCriteria.l1(try graph.filters(layer, criterion: name)).map { $0 / scale }
    }
  }
}
