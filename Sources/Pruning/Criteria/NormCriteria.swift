import NeuralNet

/// Weight-only filter-importance criteria on an `N × k` filter matrix (ALGORITHMS.md §6).
///
/// Every criterion returns one score per filter, **larger = keep**; the weights come in as
/// `Float` (through `FilterMatrix(rows:cols:values:)`) and every sum accumulates in `Double`.
enum WeightCriteria {
  /// ℓ1 norm `Σ_j |F_ij|` of each filter (Li et al., "Pruning Filters for Efficient ConvNets",
  /// ICLR 2017).
  ///
  /// ```swift
  /// let f = try FilterMatrix(rowArrays: [[3, -4], [0, 0]])
  /// WeightCriteria.l1(f)  // [7, 0]
  /// ```
  public static func l1(_ filters: FilterMatrix) -> [Double] {
    rowReduce(filters) { $0 + abs($1) }
  }

  /// ℓ2 norm `sqrt(Σ_j F_ij²)` of each filter (SFP, He et al. IJCAI 2018).
  ///
  /// ```swift
  /// let f = try FilterMatrix(rowArrays: [[3, -4], [0, 0]])
  /// WeightCriteria.l2(f)  // [5, 0]
  /// ```
  public static func l2(_ filters: FilterMatrix) -> [Double] {
    rowReduce(filters) { $0 + $1 * $1 }.map { $0.squareRoot() }
  }

  private static func rowReduce(
    _ f: FilterMatrix, _ combine: (Double, Double) -> Double
  ) -> [Double] {
    f.storage.withUnsafeBufferPointer { x in
      (0..<f.rows).map { i in
        var sum = 0.0
        for j in 0..<f.cols { sum = combine(sum, x[i * f.cols + j]) }
        return sum
      }
    }
  }
}

/// ℓ1 norm of each filter, `Σ |W[i,c,u,v]|` (Li et al., ICLR 2017); see
/// `WeightCriteria.l1(_:)`.
struct L1Criterion: Criterion {
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
struct L2Criterion: Criterion {
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
