import Pruning
import Render

/// An `explain` topic per criterion of ``CriterionRegistry/standard``: the formula, and with a
/// model its scores per layer and the filters it would prune first.
enum CriterionTopics {
  /// The formula and its source, by criterion name.
  static let formulas: [String: String] = [
    "l1": """
    score_i = Σ_{c,u,v} |W[i,c,u,v]|   — the ℓ1 norm of filter i's weights.
    Filters with the smallest norm are pruned first (Li et al., "Pruning Filters for Efficient
    ConvNets", ICLR 2017).
    """,
    "l2": """
    score_i = sqrt(Σ_{c,u,v} W[i,c,u,v]²)   — the ℓ2 norm of filter i.
    Smallest first (soft filter pruning, He et al. 2018). Under CWDA the ℓ2 scores of a layer
    have a coefficient of variation of about 1/sqrt(2k), k = C·K·K: a narrow band.
    """,
    "fpgm": """
    g_i = Σ_{j≠i} ‖F_i − F_j‖₂   — the sum of distances from filter i to the others.
    The filters with the smallest g lie nearest the geometric median of the layer: the others
    can stand in for them, so they go first (He et al., "Filter Pruning via Geometric Median",
    CVPR 2019).
    """,
    "fermat": """
    score_i = ‖F_i − F*‖₂,  F* = argmin_x Σ_j ‖x − F_j‖₂ (the Fermat point, by Weiszfeld).
    Filters nearest the Fermat point go first. For a centred Gaussian-like layer F* ≈ 0, so
    the ranking is close to ℓ2's ("Rethinking the Pruning Criteria", NeurIPS 2021).
    """,
    "bn": """
    score_i = |γ_i|   — the scale of the batch norm after the conv (Network Slimming,
    Liu et al., ICCV 2017). Small scales shrink the channel towards a constant.
    """,
    "taylor": """
    Θ_i = mean over batches of (∂L/∂m_i)², m_i a gate on channel i; with a batch norm after
    the conv, ∂L/∂m_i = γ_i ∂L/∂γ_i + β_i ∂L/∂β_i. The squared first-order change of the loss
    when the channel is switched off (Molchanov et al., CVPR 2019). Reads labelled images.
    """,
    "apoz": """
    score_i = 1 − (1/(N·H·W)) Σ_n Σ_{u,v} 1[A_{n,i}(u,v) = 0]   — one minus the average
    percentage of zeros of channel i after its ReLU (Hu et al. 2016, "Network Trimming").
    Channels that are mostly zero go first. Reads images.
    """,
    "hrank": """
    score_i = (1/N) Σ_n rank(A_{n,i})   — the average matrix rank of channel i's feature maps
    (Lin et al., HRank, CVPR 2020). Low-rank maps carry little information. Reads images.
    """,
    "frs": """
    The feature relevance score: relevance propagated from the true class down to each
    channel by the αβ rule (α = 2, β = 1), averaged per class, class-weighted, L2-normalised
    in the layer (Aketi et al., IEEE Access 2020). Reads labelled images.
    """,
    "clr": """
    score_i = ℓ1(F_i) / c_l^λ   — CLR-RNF's computation-aware importance: the ℓ1 norm scaled
    by the layer's computation factor c_l (Lin et al., TNNLS 2023). Within a layer it orders
    filters as ℓ1; across layers it prunes costly layers more. As an allocation (alloc=clr,
    ALGORITHMS.md §4.3) every weight gets ŝ(w) = |w| / c_l^λ, T is the value that keeps
    1 − ratio of all of them, and layer l loses p_l = #{w ∈ W_l : ŝ(w) < T} / |W_l| of its
    filters; residual streams are left alone. With a plan (explain clr p): each group's cut.
    """,
    "random": """
    score_i ~ U(0, 1), seeded: the baseline every criterion should beat (Liu et al., ICLR
    2019: after long fine-tuning it is a strong one).
    """,
  ]

  static var all: [ExplainTopic] {
    CriterionRegistry.standard.entries.map { entry in
      let needs: String
      switch entry.needs {
      case .weights: needs = "It reads the weights only."
      case .data: needs = "It reads images: explain \(entry.name) m on d."
      case .gradients:
        needs = "It reads labelled images and gradients: explain \(entry.name) m on d."
      }
      let formula = formulas[entry.name] ?? entry.summary
      return ExplainTopic(
        name: entry.name, summary: "criterion: \(entry.summary)",
        text: "\(entry.name) — \(entry.summary)\n\(formula)\nLarger = keep. \(needs)",
        figures: { model, data, context in
          try figures(criterion: entry.name, model: model, data: data, context: context)
        },
        // CLR is an allocation too: what a plan made with it cut per group.
        planFigures: entry.name == "clr" ? PlanExplanation.cutsFigures : nil)
    }
  }

  /// The criterion's scores on `model`: per-layer spread and the filters pruned first.
  static func figures(
    criterion name: String, model: ModelValue, data: DatasetValue?, context: CommandContext
  ) throws -> [OutputItem] {
    let criterion = try CriterionRegistry.standard.criterion(named: name)
    if criterion.needs != .weights && data == nil {
      return [
        .text("(\(name) reads images: add a data set, explain \(name) m on d, for its numbers)")
      ]
    }
    let input = ScoringInput(
      network: model.network, data: data?.dataset.train, context: context.compute,
      rng: context.rng.derived("explain.score"))
    let scores = try criterion.score(input)
    var table = Table(
      title: "\(name) on \(model.network.name)",
      columns: [
        .text("layer"), .numeric("filters"), .numeric("k"), .numeric("min"), .numeric("max"),
        .numeric("CV"), .text("pruned first"),
      ])
    let convolutions = Dictionary(
      model.convolutions.map { ($0.name, $0.spec) }, uniquingKeysWith: { a, _ in a })
    for layer in scores.layers {
      let values = scores[layer] ?? []
      let order = ScoresValue.ascendingOrder(values)
      let spec = convolutions[layer]
      let k = spec.map { $0.inChannels * $0.kernel * $0.kernel } ?? 0
      let cv = (try? Applicability.coefficientOfVariation(values)).map { NumberFormat.short($0) }
      table.addRow([
        layer, String(values.count), String(k), NumberFormat.short(values.min() ?? .nan),
        NumberFormat.short(values.max() ?? .nan), cv ?? "n/a",
        order.prefix(3).map(String.init).joined(separator: ", "),
      ])
    }
    var items: [OutputItem] = [.table(table)]
    if let first = scores.layers.first, let values = scores[first], values.count > 1 {
      let order = ScoresValue.ascendingOrder(values)
      let low = order[0]
      let high = order[order.count - 1]
      items.append(
        .text(
          TextWrap.wrap(
            "In \(first), filter \(low) scores lowest (\(NumberFormat.short(values[low]))) and "
              + "filter \(high) highest (\(NumberFormat.short(values[high]))); pruning half of "
              + "the layer by \(name) removes filters "
              + order.prefix(values.count / 2).sorted().prefix(12).map(String.init).joined(
                separator: ", ") + (values.count / 2 > 12 ? ", …" : "") + ".")))
      if name == "l2", let spec = convolutions[first] {
        let k = spec.inChannels * spec.kernel * spec.kernel
        items.append(
          .text(
            TextWrap.wrap(
              "CV is the spread of a layer's scores (std/mean); for ℓ2 under CWDA it is about "
                + "1/sqrt(2k) = \(NumberFormat.short(Applicability.cwdaPrediction(dimension: k))) "
                + "in \(first) (k = \(k)).")))
      }
    }
    return items
  }
}
