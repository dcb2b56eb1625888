import NeuralNet
import Pruning
import Render
import TensorCore

/// `explain` topics of the blending framework (ALGORITHMS.md §1): clustering criteria and
/// searching calibration factors.
enum BlendTopics {
  /// Criteria clustering.
  static let cluster = ExplainTopic(
    name: "cluster", summary: "grouping criteria that rank a layer's filters alike",
    text: """
      Blending Pruning Criteria (He et al. 2021) first clusters the criteria layer by layer:
      criteria whose filter ranks agree (Spearman ρ near 1) carry the same information. Per
      channel group (the unit the planner ranks; a plain conv is its own group), with
      d(c, c') = 1 − ρ(c, c'), average-linkage agglomerative clustering merges the two clusters
      with the smallest mean pairwise d, and the tree is cut where d > 1 − threshold (default
      ρ ≥ 0.9) or into k clusters. Narrow groups (≤ 16 channels) give noisy ρ; pool=stage
      averages their ρ per stage. Each cluster names one blending candidate, its medoid — the
      member with the largest mean ρ to the others — ties going to the cheaper criterion
      (weights < data < gradients). With a model: the clusters of l1, l2, fpgm, bn (and taylor,
      apoz with data) in each group, and why each candidate won.
      """,
    figures: { model, data, context in try clusterFigures(model, data, context) })

  /// Evolutionary blending.
  static let blend = ExplainTopic(
    name: "blend", summary: "blending candidates with calibration factors found by a GA",
    text: """
      The blended importance of channel i in group l is I = Σ_c α_{l,c} · ŝ_{c,i}, over the
      group's candidates c, with ŝ = (rank − 1)/(N − 1) so every criterion spans [0, 1]; the
      lowest I go. α ∈ [0, 1] rescales how much each candidate counts: α = one-hot prunes by one
      criterion alone, equal α averages the ranks. A genetic algorithm searches α (population
      32, 30 generations, 4 elites, tournament 3, uniform crossover 0.5, Gaussian mutation
      σ 0.1 at rate 0.1, clipped) for the best fitness: the accuracy (or −loss) of the pruned
      network without fine-tuning, on held-out training images, after re-estimating batch-norm
      statistics. Generation 0 holds each one-hot and the uniform α, so with elitism the result
      is never worse on those images than the best single candidate. Equal masks share one
      cached evaluation. share=stage|network shares α across groups for deep networks.
      search=uniform binds the equal-α blend, measured once, to compare with the search;
      eval … recalibrate=512 measures a pruned network the way the fitness does. Ctrl-C stops
      the search and binds the best so far; the session records where, and replay stops there.
      With a model: how much the candidates disagree at 50% — the room α has to move.
      """,
    figures: { model, data, context in try blendFigures(model, data, context) })

  static func pool(_ data: DatasetValue?) -> [String] {
    ["l1", "l2", "fpgm", "bn"] + (data == nil ? [] : ["taylor", "apoz"])
  }

  static func clustersOf(_ model: ModelValue, _ data: DatasetValue?, _ context: CommandContext)
    throws -> (CriteriaClusters, [LayerScores])
  {
    let names = pool(data)
    let scores = try CriterionRegistry.standard.score(
      names,
      input: ScoringInput(
        network: model.network, data: data?.dataset.train, batches: 2, batchSize: 32,
        context: context.compute, rng: context.rng.derived("explain")))
    let sim = try CriteriaSimilarity(scores: scores, network: model.network)
    let needs = try names.map { try CriterionRegistry.standard.criterion(named: $0).needs }
    let clusters = try CriteriaClusters(
      similarity: sim, layout: try GroupLayout(network: model.network), needs: needs)
    return (clusters, scores)
  }

  static func clusterFigures(_ model: ModelValue, _ data: DatasetValue?, _ context: CommandContext)
    throws -> [OutputItem]
  {
    let (clusters, _) = try clustersOf(model, data, context)
    var table = Table(
      title: "clusters in \(model.network.name) at ρ ≥ 0.9 (candidate: mean ρ to its cluster)",
      columns: [.text("group"), .numeric("channels"), .text("clusters"), .text("candidates")])
    for g in clusters.groups {
      let described = g.clusters.map { $0.map { clusters.criteria[$0] }.joined(separator: "+") }
      let why = zip(g.clusters, g.candidates).map { members, c -> String in
        let others = members.filter { $0 != c }
        guard !others.isEmpty else { return clusters.criteria[c] + " (alone)" }
        let mean = others.reduce(0.0) { $0 + (g.rho[c][$1] ?? 0) } / Double(others.count)
        return clusters.criteria[c] + " (" + NumberFormat.fixed(mean, decimals: 2) + ")"
      }
      table.addRow([
        g.group, String(g.channels), described.joined(separator: " | "),
        why.joined(separator: ", "),
      ])
    }
    return [.table(table)]
  }

  static func blendFigures(_ model: ModelValue, _ data: DatasetValue?, _ context: CommandContext)
    throws -> [OutputItem]
  {
    let (clusters, scores) = try clustersOf(model, data, context)
    let network = model.network
    let candidates = scores.filter { clusters.candidateNames.contains($0.criterion) }
    let plan = try Planner(network: network).plan(scores: candidates[0], ratio: 0.5)
    let counts = Dictionary(uniqueKeysWithValues: plan.groups.map { ($0.group, $0.removed.count) })
    let space = try BlendSpace(
      network: network, clusters: clusters, scores: candidates, removedCounts: counts,
      sharing: .group)
    let oneHots = space.oneHots
    let uniform = space.removed(space.uniform)
    var table = Table(
      title: "in \(network.name) at 50%: channels each one-hot prunes that the uniform blend keeps",
      columns: [.text("group"), .numeric("removed")] + oneHots.map { .numeric($0.criterion) })
    let removedBy = oneHots.map { space.removed($0.genome) }
    for (i, g) in space.groups.enumerated() {
      table.addRow(
        [g.id, "\(g.removed)/\(g.channels)"]
          + removedBy.map { String(Set($0[i]).subtracting(uniform[i]).count) })
    }
    var genes: [String] = []
    for sharing in BlendSharing.allCases {
      let s = try BlendSpace(
        network: network, clusters: clusters, scores: candidates, removedCounts: counts,
        sharing: sharing)
      genes.append("share=\(sharing.rawValue): \(s.genes.count) genes")
    }
    return [
      .table(table),
      .text(
        "genome length: " + genes.joined(separator: ", ")
          + "; candidates: " + clusters.candidateNames.joined(separator: ", ")),
    ]
  }
}
