/// The blending candidate of a cluster (ALGORITHMS.md §1.3 step 5): the medoid — the member
/// with the largest mean ρ to the other members — with ties (within 1e-12) going to the cheaper
/// criterion (weights < data < gradients), then to the member listed first.
///
/// ```swift
/// ClusterMedoid.pick(members: [0, 1, 2], rho: rho, costs: [.weights, .data, .weights])
/// ```
public enum ClusterMedoid {
  /// The chosen member of `members` (indices into `rho` and `costs`). An undefined ρ counts
  /// as 0. A singleton is its own medoid.
  public static func pick(members: [Int], rho: [[Double?]], costs: [CriterionNeeds]) -> Int {
    precondition(!members.isEmpty, "a cluster has members")
    guard members.count > 1 else { return members[0] }
    var best = members[0]
    var bestMean = -Double.infinity
    for m in members {
      let others = members.filter { $0 != m }
      let mean = others.reduce(0.0) { $0 + (rho[m][$1] ?? 0) } / Double(others.count)
      if mean > bestMean + 1e-12 {
        (best, bestMean) = (m, mean)
      } else if abs(mean - bestMean) <= 1e-12, cost(costs[m]) < cost(costs[best]) {
        (best, bestMean) = (m, max(mean, bestMean))
      }
    }
    return best
  }

  /// 0 for weights, 1 for data, 2 for gradients.
  public static func cost(_ needs: CriterionNeeds) -> Int {
    switch needs {
    case .weights: return 0
    case .data: return 1
    case .gradients: return 2
    }
  }
}
