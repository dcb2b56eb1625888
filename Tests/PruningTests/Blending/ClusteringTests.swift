import Foundation
import NeuralNet
import Testing

@testable import Pruning

/// Clustering against a hand-worked example, and the medoid rule.
@Suite struct ClusteringTests {
  // ρ: a–b 0.95, a–c 0.3, a–d 0.2, b–c 0.4, b–d 0.1, c–d 0.85.
  // d = 1 − ρ: ab 0.05, ac 0.7, ad 0.8, bc 0.6, bd 0.9, cd 0.15.
  // By hand (average linkage): merge {a,b} at 0.05; then {ab}–c = (0.7+0.6)/2 = 0.65,
  // {ab}–d = (0.8+0.9)/2 = 0.85, c–d = 0.15 → merge {c,d} at 0.15; then
  // {ab}–{cd} = (0.7+0.8+0.6+0.9)/4 = 0.75.
  static let rho: [[Double?]] = [
    [1, 0.95, 0.3, 0.2], [0.95, 1, 0.4, 0.1], [0.3, 0.4, 1, 0.85], [0.2, 0.1, 0.85, 1],
  ]

  static func distances(_ rho: [[Double?]]) -> [[Double]] {
    rho.indices.map { a in rho.indices.map { b in a == b ? 0 : 1 - rho[a][b]! } }
  }

  @Test func averageLinkageMatchesTheHandWorkedTree() {
    let tree = AgglomerativeClustering(distances: Self.distances(Self.rho))
    #expect(tree.merges.map(\.left) == [[0], [2], [0, 1]])
    #expect(tree.merges.map(\.right) == [[1], [3], [2, 3]])
    let expected = [0.05, 0.15, 0.75]
    for (m, e) in zip(tree.merges, expected) { #expect(abs(m.distance - e) < 1e-12) }
    #expect(tree.cut(threshold: 0.1) == [[0, 1], [2], [3]])
    #expect(tree.cut(threshold: 0.2) == [[0, 1], [2, 3]])
    #expect(tree.cut(threshold: 0.8) == [[0, 1, 2, 3]])
    #expect(tree.cut(clusters: 3) == [[0, 1], [2], [3]])
    #expect(tree.cut(clusters: 1) == [[0, 1, 2, 3]])
    #expect(tree.cut(clusters: 9) == [[0], [1], [2], [3]])
  }

  @Test func tiesMergeTheLowestPairFirst() {
    // All distances equal: (0,1) merges first, then {0,1} with 2, then with 3.
    let d = (0..<4).map { a in (0..<4).map { b in a == b ? 0.0 : 0.5 } }
    let tree = AgglomerativeClustering(distances: d)
    #expect(tree.merges.map(\.left) == [[0], [0, 1], [0, 1, 2]])
  }

  @Test func medoidIsTheMemberWithTheLargestMeanRho() {
    // means: 0 → (0.9+0.9)/2 = 0.9, 1 → (0.9+0.8)/2 = 0.85, 2 → 0.85.
    let rho: [[Double?]] = [[1, 0.9, 0.9], [0.9, 1, 0.8], [0.9, 0.8, 1]]
    #expect(
      ClusterMedoid.pick(members: [0, 1, 2], rho: rho, costs: [.gradients, .weights, .weights])
        == 0)
  }

  @Test func medoidTiesGoToTheCheaperCriterion() {
    let rho: [[Double?]] = [[1, 0.9, 0.9], [0.9, 1, 0.9], [0.9, 0.9, 1]]
    #expect(
      ClusterMedoid.pick(members: [0, 1, 2], rho: rho, costs: [.gradients, .data, .weights]) == 2)
    #expect(
      ClusterMedoid.pick(members: [0, 1, 2], rho: rho, costs: [.gradients, .data, .data]) == 1)
    #expect(
      ClusterMedoid.pick(members: [0, 1, 2], rho: rho, costs: [.weights, .weights, .weights]) == 0)
  }

  /// A similarity of four criteria on one 8-filter layer `c1` with the matrix above.
  static func similarity(criteria: [String] = ["a", "b", "c", "d"], rho: [[Double?]] = rho)
    throws -> CriteriaSimilarity
  {
    let json: [String: Any] = [
      "criteria": criteria,
      "layers": [
        [
          "name": "c1", "filters": 8, "spearman": rho.map { $0.map { $0 ?? 0 } },
          "kendall": rho.map { $0.map { $0 ?? 0 } },
        ]
      ],
      "meanSpearman": rho.map { $0.map { $0 ?? 0 } }, "meanKendall": rho.map { $0.map { $0 ?? 0 } },
      "spearmanLayerCounts": rho.map { $0.map { _ in 1 } },
      "kendallLayerCounts": rho.map { $0.map { _ in 1 } },
    ]
    let data = try JSONSerialization.data(withJSONObject: json)
    return try JSONDecoder().decode(CriteriaSimilarity.self, from: data)
  }

  @Test func groupClustersAndCandidates() throws {
    let net = try CriteriaFixtures.singleConvNet(out: 8, bias: false)
    let layout = try GroupLayout(network: net)
    let k = try CriteriaClusters(
      similarity: Self.similarity(), layout: layout, needs: [.gradients, .weights, .data, .data],
      options: ClusterOptions(threshold: 0.8))
    #expect(k.groups.count == 1)
    #expect(k.groups[0].clusters == [[0, 1], [2, 3]])
    // Two-member clusters tie on mean ρ: the cheaper member wins (b is weight-only; c and d
    // cost the same, so the first, c).
    #expect(k.groups[0].candidates == [1, 2])
    #expect(k.groups[0].source == "layers")
    #expect(k.candidateNames == ["b", "c"])
    let k2 = try CriteriaClusters(
      similarity: Self.similarity(), layout: layout, needs: [.weights, .weights, .data, .data],
      options: ClusterOptions(clusters: 1))
    #expect(k2.groups[0].clusters == [[0, 1, 2, 3]])
    // means: a (0.95+0.3+0.2)/3 = 0.483, b 0.483, c 0.517, d 0.383 → c.
    #expect(k2.groups[0].candidates == [2])
  }

  @Test func oneCriterionIsRefused() throws {
    let net = try CriteriaFixtures.singleConvNet(out: 8, bias: false)
    #expect(throws: BlendError.tooFewCriteria(1)) {
      try CriteriaClusters(
        similarity: Self.similarity(criteria: ["a"], rho: [[1]]),
        layout: try GroupLayout(network: net), needs: [.weights])
    }
  }

  @Test func rankNormalizationAveragesTies() {
    #expect(RankNormalization.normalize([3, 1, 2]) == [1, 0, 0.5])
    #expect(RankNormalization.normalize([5, 5, 1]) == [0.75, 0.75, 0])
    #expect(RankNormalization.normalize([7]) == [0])
  }
}
