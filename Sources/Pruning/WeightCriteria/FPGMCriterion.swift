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
