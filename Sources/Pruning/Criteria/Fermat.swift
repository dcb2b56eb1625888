import NeuralNet
import Statistics

extension WeightCriteria {
  /// The Fermat-point scores of a layer and the geometric median they were measured from.
  struct FermatScores: Sendable, Equatable, Codable {
    /// `‖F_i − F*‖₂` per filter (larger = keep).
    public var scores: [Double]
    /// The geometric median `F*` with its iteration count.
    public internal(set) var median: GeometricMedian
  }

  /// Fermat-point criterion `‖F_i − F*‖₂`, with `F* = argmin_x Σ_j ‖x − F_j‖₂` the geometric
  /// median of the layer's filters (ALGORITHMS.md §2.2, §6), computed by
  /// `GeometricMedian.weiszfeld(_:tolerance:maxIterations:)`. Larger = keep: filters near the
  /// Fermat point are the most replaceable.
  ///
  /// ```swift
  /// let f = try FilterMatrix(rowArrays: [[0, 0], [1, 0], [5, 0]])
  /// try WeightCriteria.fermat(f).scores  // [1, 0, 4]: the median is the middle point
  /// ```
  /// - Throws: as `GeometricMedian.weiszfeld`.
  public static func fermat(
    _ filters: FilterMatrix, tolerance: Double = 1e-10, maxIterations: Int = 200
  ) throws(StatisticsError) -> FermatScores {
    let median = try GeometricMedian.weiszfeld(
      filters, tolerance: tolerance, maxIterations: maxIterations)
    let k = filters.cols
    // weiszfeld succeeded, so the matrix and the median have ≥ 1 value: base addresses exist.
    let scores = filters.storage.withUnsafeBufferPointer { p in
      median.point.withUnsafeBufferPointer { m in
        (0..<filters.rows).map { i in
          DoubleKernels.squaredDistance(p.baseAddress! + i * k, m.baseAddress!, k).squareRoot()
        }
      }
    }
    return FermatScores(scores: scores, median: median)
  }
}

/// Fermat point: the distance of each filter to the layer's geometric median, found by
/// Weiszfeld's algorithm (ALGORITHMS.md §2.2, §6). See `WeightCriteria.fermat(_:)`.
struct FermatCriterion: Criterion {
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
