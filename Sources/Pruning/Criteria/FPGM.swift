import NeuralNet
import Statistics

extension WeightCriteria {
  /// FPGM ("geometric median") score `g_i = Σ_{j≠i} ‖F_i − F_j‖₂` of each filter (He et al.,
  /// "Filter Pruning via Geometric Median", CVPR 2019; ALGORITHMS.md §6).
  ///
  /// Larger = keep: the filters with the smallest distance sum lie nearest the geometric median
  /// and are the most replaceable, so they are pruned first (§2.7: do not invert).
  /// Distances are computed from the differences directly (no `‖a‖² + ‖b‖² − 2a·b` shortcut), so
  /// identical filters get exactly 0. Cost `O(N²k/2)`.
  ///
  /// ```swift
  /// let f = try FilterMatrix(rowArrays: [[0, 0], [3, 4], [0, 4]])
  /// WeightCriteria.fpgm(f)  // [9, 8, 7]
  /// ```
  public static func fpgm(_ filters: FilterMatrix) -> [Double] {
    let n = filters.rows
    let k = filters.cols
    var sums = [Double](repeating: 0, count: n)
    filters.storage.withUnsafeBufferPointer { p in
      guard let base = p.baseAddress else { return }
      for a in 0..<n {
        for b in (a + 1)..<max(a + 1, n) {
          let d = DoubleKernels.squaredDistance(base + a * k, base + b * k, k).squareRoot()
          sums[a] += d
          sums[b] += d
        }
      }
    }
    return sums
  }
}

/// FPGM: the sum of Euclidean distances from each filter to the other filters of its layer
/// (He et al., CVPR 2019); filters near the geometric median score low and go first. See
/// `WeightCriteria.fpgm(_:)`.
struct FPGMCriterion: Criterion {
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
