import NeuralNet

/// ℓ1 norm of each filter, `Σ |W[i,c,u,v]|` (Li et al., ICLR 2017); see
/// `WeightCriteria.l1(_:)`.
public struct L1Criterion: Criterion {
  public let name = "l1"
  public let summary = "ℓ1 norm of each filter's weights (Li et al. 2017)"
  public let needs = CriterionNeeds.weights

  /// The criterion.
  public init() {}

  /// ℓ1 norms per filter of every conv.
  public func score(_ input: ScoringInput) throws -> LayerScores {
    let graph = ConvGraph(network: input.network)
    return try graph.scoreEach(criterion: name) {
      WeightCriteria.l1(try graph.filters($0, criterion: name))
    }
  }
}

/// ℓ2 norm of each filter, `sqrt(Σ W[i,·]²)` (SFP, He et al. 2018); see `WeightCriteria.l2(_:)`.
public struct L2Criterion: Criterion {
  public let name = "l2"
  public let summary = "ℓ2 norm of each filter's weights (SFP, He et al. 2018)"
  public let needs = CriterionNeeds.weights

  /// The criterion.
  public init() {}

  /// ℓ2 norms per filter of every conv.
  public func score(_ input: ScoringInput) throws -> LayerScores {
    let graph = ConvGraph(network: input.network)
    return try graph.scoreEach(criterion: name) {
      WeightCriteria.l2(try graph.filters($0, criterion: name))
    }
  }
}

/// FPGM: the sum of Euclidean distances from each filter to the other filters of its layer
/// (He et al., CVPR 2019); filters near the geometric median score low and go first. See
/// `WeightCriteria.fpgm(_:)`.
public struct FPGMCriterion: Criterion {
  public let name = "fpgm"
  public let summary = "sum of distances to the layer's other filters (FPGM, He et al. 2019)"
  public let needs = CriterionNeeds.weights

  /// The criterion.
  public init() {}

  /// Distance sums per filter of every conv.
  public func score(_ input: ScoringInput) throws -> LayerScores {
    let graph = ConvGraph(network: input.network)
    return try graph.scoreEach(criterion: name) {
      WeightCriteria.fpgm(try graph.filters($0, criterion: name))
    }
  }
}

/// Fermat point: the distance of each filter to the layer's geometric median, found by
/// Weiszfeld's algorithm (ALGORITHMS.md §2.2, §6). See `WeightCriteria.fermat(_:)`.
public struct FermatCriterion: Criterion {
  public let name = "fermat"
  public let summary = "distance to the layer's geometric median (Weiszfeld iterations)"
  public let needs = CriterionNeeds.weights

  /// The criterion.
  public init() {}

  /// Distances to the median per filter of every conv.
  public func score(_ input: ScoringInput) throws -> LayerScores {
    let graph = ConvGraph(network: input.network)
    return try graph.scoreEach(criterion: name) { layer in
      let filters = try graph.filters(layer, criterion: name)
      do {
        return try WeightCriteria.fermat(filters).scores
      } catch {
        throw CriterionError.numerical(criterion: name, layer: layer, problem: "\(error)")
      }
    }
  }
}
