extension Correlation {
  /// Kendall's τ-b, which corrects for ties in both variables:
  /// `τ_b = (n_c − n_d) / sqrt((n₀ − n₁)(n₀ − n₂))` with `n₀ = n(n−1)/2`, `n₁`/`n₂` the pairs
  /// tied in x / y (`scipy.stats.kendalltau`, variant 'b').
  ///
  /// Computed in O(n log n) by Knight's algorithm (W. R. Knight, "A computer method for
  /// calculating Kendall's tau with ungrouped data", JASA 61, 1966): sort by (x, y), count the
  /// discordant pairs as the swaps of a merge sort on y.
  ///
  /// The p-value is always the asymptotic normal approximation of `n_c − n_d` with the
  /// tie-corrected variance (Kendall 1970; `kendalltau(..., method='asymptotic')`):
  /// `var = (v₀ − v_x − v_y)/18 + 2 n₁ n₂ / (n(n−1)) + t_x t_y / (9 n(n−1)(n−2))`, where
  /// `v₀ = n(n−1)(2n+5)`, `v_x = Σ t(t−1)(2t+5)`, `t_x = Σ t(t−1)(t−2)` over tie groups of
  /// size `t`. It is `nil` for `n < 3`. For small samples without ties scipy's default uses the
  /// exact distribution instead, which differs slightly.
  /// - Throws: `StatisticsError` for unequal lengths, fewer than 2 pairs, non-finite values, or
  ///   an input whose values are all tied.
  public static func kendallTauB(_ x: [Double], _ y: [Double]) throws(StatisticsError)
    -> CorrelationResult
  {
    try checkPaired(x, y, "Kendall tau-b", minimum: 2)
    try DoubleKernels.requireFinite(x, "Kendall tau-b (first input)")
    try DoubleKernels.requireFinite(y, "Kendall tau-b (second input)")
    let n = x.count
    // Sort indices by x, then y.
    let order = x.indices.sorted { x[$0] < x[$1] || (x[$0] == x[$1] && y[$0] < y[$1]) }
    let xs = order.map { x[$0] }
    var ys = order.map { y[$0] }

    // Ties in x and joint ties in (x, y), from runs of the sorted sequence.
    let xTies = tieStatistics(xs)
    var jointTies = 0
    var start = 0
    while start < n {
      var end = start + 1
      while end < n && xs[end] == xs[start] && ys[end] == ys[start] { end += 1 }
      let t = end - start
      jointTies += t * (t - 1) / 2
      start = end
    }

    // Discordant pairs = inversions when merge-sorting y (ties in y do not count).
    let discordant = mergeSortCountingInversions(&ys)
    let yTies = tieStatistics(ys)

    let total = n * (n - 1) / 2
    guard xTies.pairs < total, yTies.pairs < total else {
      throw .constantInput(what: "Kendall tau-b")
    }
    let concordantMinusDiscordant =
      Double(total - xTies.pairs - yTies.pairs + jointTies) - 2 * Double(discordant)
    let tau =
      concordantMinusDiscordant
      / (Double(total - xTies.pairs).squareRoot() * Double(total - yTies.pairs).squareRoot())

    var pValue: Double? = nil
    if n >= 3 {
      let nd = Double(n)
      let m = nd * (nd - 1)
      let variance =
        (m * (2 * nd + 5) - xTies.v1 - yTies.v1) / 18
        + 2 * Double(xTies.pairs) * Double(yTies.pairs) / m
        + xTies.v0 * yTies.v0 / (9 * m * (nd - 2))
      let z = concordantMinusDiscordant / variance.squareRoot()
      pValue = min(1, 2 * NormalDistribution.sf(abs(z)))
    }
    return CorrelationResult(coefficient: max(-1, min(1, tau)), pValue: pValue)
  }

  /// For a sorted array: tied pairs `Σ t(t−1)/2`, `Σ t(t−1)(t−2)` and `Σ t(t−1)(2t+5)` over the
  /// runs of equal values of length `t`.
  private static func tieStatistics(_ sorted: [Double]) -> (pairs: Int, v0: Double, v1: Double) {
    var pairs = 0
    var v0 = 0.0
    var v1 = 0.0
    var start = 0
    while start < sorted.count {
      var end = start + 1
      while end < sorted.count && sorted[end] == sorted[start] { end += 1 }
      let t = end - start
      if t > 1 {
        let td = Double(t)
        pairs += t * (t - 1) / 2
        v0 += td * (td - 1) * (td - 2)
        v1 += td * (td - 1) * (2 * td + 5)
      }
      start = end
    }
    return (pairs, v0, v1)
  }

  /// Sorts `values` ascending (stable bottom-up merge sort) and returns the number of pairs
  /// `i < j` with `values[i] > values[j]` (strict: equal values are not inversions).
  private static func mergeSortCountingInversions(_ values: inout [Double]) -> Int {
    let n = values.count
    var buffer = values
    var inversions = 0
    var width = 1
    while width < n {
      var lo = 0
      while lo < n {
        let mid = min(lo + width, n)
        let hi = min(lo + 2 * width, n)
        var i = lo
        var j = mid
        var k = lo
        while i < mid && j < hi {
          if values[j] < values[i] {
            buffer[k] = values[j]
            inversions += mid - i
            j += 1
          } else {
            buffer[k] = values[i]
            i += 1
          }
          k += 1
        }
        while i < mid {
          buffer[k] = values[i]
          i += 1
          k += 1
        }
        while j < hi {
          buffer[k] = values[j]
          j += 1
          k += 1
        }
        lo = hi
      }
      swap(&values, &buffer)
      width *= 2
    }
    return inversions
  }
}
