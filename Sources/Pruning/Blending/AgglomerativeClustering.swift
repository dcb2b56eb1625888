/// Agglomerative clustering with average linkage (UPGMA) on a symmetric distance matrix.
///
/// Starting from singletons, the two clusters with the smallest mean pairwise distance merge,
/// until one cluster is left. Ties are broken deterministically: the pair whose smaller member
/// index (then larger) is smallest merges first. A `nan` distance counts as 1 (ρ undefined is
/// treated as "unrelated", d = 1 − 0).
///
/// ```swift
/// let tree = AgglomerativeClustering(distances: d)
/// tree.cut(threshold: 0.1)  // [[0, 1], [2], [3]]: merges at distance ≤ 0.1
/// tree.cut(clusters: 2)     // the last merge undone
/// ```
public struct AgglomerativeClustering: Codable, Sendable, Equatable {
  /// One merge: the two clusters (as sorted member lists) and the linkage distance.
  public struct Merge: Codable, Sendable, Equatable {
    /// Members of the first cluster (the one with the smaller lowest member).
    public var left: [Int]
    /// Members of the second cluster.
    public var right: [Int]
    /// Average linkage distance at which they merged.
    public var distance: Double
  }

  /// Number of items clustered.
  public var count: Int
  /// The merges in order (count − 1 of them).
  public var merges: [Merge]

  /// Clusters `distances` (square, symmetric; the diagonal is ignored).
  public init(distances: [[Double]]) {
    let n = distances.count
    count = n
    merges = []
    func d(_ a: Int, _ b: Int) -> Double {
      let v = distances[a][b]
      return v.isNaN ? 1 : v
    }
    var clusters: [[Int]] = (0..<n).map { [$0] }
    while clusters.count > 1 {
      var best: (i: Int, j: Int, distance: Double)?
      for i in clusters.indices {
        for j in clusters.indices where j > i {
          var sum = 0.0
          for a in clusters[i] { for b in clusters[j] { sum += d(a, b) } }
          let linkage = sum / Double(clusters[i].count * clusters[j].count)
          // Clusters are kept sorted by their lowest member, so scanning (i, j) in order and
          // replacing only on a strictly smaller distance gives the documented tie-break.
          if linkage < best?.distance ?? .infinity { best = (i, j, linkage) }
        }
      }
      // At least two clusters remain, so one pair was scanned (NaN linkages count as 1).
      guard let (i, j, distance) = best else { break }
      merges.append(Merge(left: clusters[i], right: clusters[j], distance: distance))
      let joined = (clusters[i] + clusters[j]).sorted()
      clusters.remove(at: j)
      clusters[i] = joined
      clusters.sort { $0[0] < $1[0] }
    }
  }

  /// The clusters after every merge at distance ≤ `threshold`, each sorted, ordered by their
  /// lowest member.
  public func cut(threshold: Double) -> [[Int]] {
    clusters(afterMerges: merges.prefix { $0.distance <= threshold }.count)
  }

  /// Exactly `k` clusters (clamped to 1…count): the last `k − 1` merges undone.
  public func cut(clusters k: Int) -> [[Int]] {
    let k = min(max(k, 1), max(count, 1))
    return clusters(afterMerges: count - k)
  }

  private func clusters(afterMerges m: Int) -> [[Int]] {
    var current: [[Int]] = (0..<count).map { [$0] }
    for merge in merges.prefix(m) {
      current.removeAll { $0 == merge.left || $0 == merge.right }
      current.append((merge.left + merge.right).sorted())
    }
    return current.sorted { $0[0] < $1[0] }
  }
}
