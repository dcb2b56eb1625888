import TensorCore

/// CLR-RNF's filter selection by k-reciprocal nearest filters (ALGORITHMS.md §4.4), in its
/// closed form: with `ρ_i(j)` the position of filter `j` in filter `i`'s list of filters sorted
/// by distance (itself first) and `M_j = max_i ρ_i(j)`, keep the `m` filters with the smallest
/// `M_j` — the filters close to every other one — breaking ties at the boundary with a seeded
/// random draw. Sorting by Euclidean distance gives the same order as the paper's similarity
/// `exp(−‖F_i − F_j‖²)` without its underflow to 0 for distant filters.
enum ReciprocalNearestFilters {
  /// Indices of the `q` filters RNF removes (ascending).
  public static func removed(_ q: Int, filters: [[Double]], rng: SeededRNG) throws -> [Int] {
    let n = filters.count
    guard q > 0 else { return [] }
    guard q < n else { throw PruningError.invalidOption("RNF cannot remove all \(n) filters") }
    let worst = worstRanks(filters)
    var draw = rng
    let tiebreak = (0..<n).map { _ in draw.next() }
    let order = (0..<n).sorted { a, b in
      worst[a] != worst[b] ? worst[a] < worst[b] : tiebreak[a] < tiebreak[b]
    }
    return Array(order.suffix(q)).sorted()
  }

  /// `M_j` for every filter.
  static func worstRanks(_ filters: [[Double]]) -> [Int] {
    let n = filters.count
    var distance = [[Double]](repeating: [Double](repeating: 0, count: n), count: n)
    for i in 0..<n {
      for j in (i + 1)..<max(i + 1, n) {
        var d = 0.0
        for (a, b) in zip(filters[i], filters[j]) { d += (a - b) * (a - b) }
        distance[i][j] = d
        distance[j][i] = d
      }
    }
    var worst = [Int](repeating: 0, count: n)
    for i in 0..<n {
      // Itself first, then by distance; equal distances by index.
      let order = (0..<n).sorted { a, b in
        if a == i || b == i { return a == i && b != i }
        return distance[i][a] != distance[i][b] ? distance[i][a] < distance[i][b] : a < b
      }
      for (pos, j) in order.enumerated() { worst[j] = max(worst[j], pos) }
    }
    return worst
  }
}
