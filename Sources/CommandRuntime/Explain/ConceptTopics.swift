import NeuralNet
import Pruning
import Render

/// `explain` topics for the ideas of structured pruning that are not one criterion: how much
/// to cut where (allocation, balanced, the CLR ratios), which filters (RNF), cutting
/// (surgery), cost (FLOPs), recovering (fine-tuning, distillation), and the analyses around
/// them (sensitivity, clusters, blending, gradual pruning). Formulas follow ALGORITHMS.md.
enum ConceptTopics {
  /// The concept topics in listing order.
  static let all: [ExplainTopic] = [
    allocation, balanced, rnf, surgery, flops, sensitivity, fineTuning, distillation, gradual,
    clusters, blending,
  ]

  static let allocation = ExplainTopic(
    name: "allocation", summary: "how many channels each group loses (alloc=…)",
    text: """
      A criterion ranks the channels inside a group; allocation decides how many each group
      loses. uniform cuts every group by the same ratio r: q_g = round(r·N_g). global puts all
      groups' normalised scores on one scale (s / ‖s_g‖₂ by default, norm=max|rank|none) and
      removes the lowest r of all channels, so groups with weak scores lose more. balanced
      (explain balanced) and clr (explain clr) aim at a FLOPs or weight budget instead of a
      channel count. Every strategy keeps at least one channel per group.
      With a plan (explain allocation p): how many channels each group lost.
      """,
    planFigures: { plan in PlanExplanation.cuts(plan) })

  static let balanced = ExplainTopic(
    name: "balanced", summary: "alloc=balanced: cut each group as far as its loss allows",
    text: """
      Balanced allocation (Li et al., ACCV 2020; ALGORITHMS.md §3) measures, on calibration
      images, each group's loss curve ΔL_g(q) = L(mask q lowest channels of g) − L₀ (made
      monotone by a running maximum). For a threshold δ every group loses
      q_g(δ) = max{q : ΔL_g(q) ≤ δ} channels; δ is found by bisection so that the FLOPs (or
      parameter) reduction R(δ) meets the target ratio. Groups whose loss barely moves are cut
      deep, sensitive ones are spared — at one loss threshold for all.
      With a plan (explain balanced p): the δ it found and each group's cut.
      """,
    planFigures: { plan in PlanExplanation.cuts(plan) })

  static let rnf = ExplainTopic(
    name: "rnf", summary: "select=rnf: keep the k-reciprocal nearest filters",
    text: """
      RNF (CLR-RNF, Lin et al., TNNLS 2023; ALGORITHMS.md §4.4) chooses which m filters of a
      layer to keep without a score: with similarity S_ij = exp(−‖F_i − F_j‖²), every filter
      ranks all the others; M_j = max_i (position of j in i's list) is j's worst-case rank, and
      the m filters with the smallest M_j are kept. They are "hubs" close to every filter, so
      each removed filter has a kept one near it — the opposite of FPGM, which removes the
      filters nearest the centre. plan … select=rnf uses it; select=top-k keeps the m best
      scores. With a plan: each group's cut.
      """,
    planFigures: { plan in PlanExplanation.cuts(plan) })

  static let surgery = ExplainTopic(
    name: "surgery", summary: "removing channels physically (prune m with p)",
    text: """
      Surgery makes the network smaller for real: for each group it deletes the removed output
      channels of every member conv (weights, bias) and of its batch norm (γ, β, running
      statistics), and the matching input channels of every layer that reads the stream, so
      W′ = W[kept_out, kept_in, :, :]. A masked prune (mode=masked) zeroes the same channels
      instead and keeps the shapes. Accuracy right after surgery is the same as after masking;
      the gain is in FLOPs, memory and speed. With a plan: what each group loses.
      """,
    planFigures: { plan in PlanExplanation.cuts(plan) })

  static let flops = ExplainTopic(
    name: "flops", summary: "what a forward pass costs: multiply–accumulates per layer",
    text: """
      Shears counts FLOPs as the pruning papers do: the multiply–accumulates (MACs) of one
      image's forward pass through conv and linear layers, MACs = H_out·W_out·C_out·C_in·K²
      for a conv and in·out for a linear layer (batch norm, pooling and additions are left
      out). Removing a channel saves twice: in its own layer (C_out) and in the next (C_in), so
      cutting r of every layer removes about 1 − (1 − r)² of a plain chain's FLOPs.
      With a model (explain flops m): its heaviest layers and their share of the total.
      """,
    figures: { model, _, _ in try PlanExplanation.heaviest(model) })

  static let sensitivity = ExplainTopic(
    name: "sensitivity", summary: "how much each layer alone can be pruned",
    text: """
      Sensitivity analysis (Li et al., ICLR 2017) prunes one layer (group) at a time by a
      criterion at several ratios, leaving all others intact, and measures the accuracy (or
      loss) of the network without fine-tuning: a(l, r). Flat curves mark layers that can lose
      many channels; steep ones are sensitive. It is the manual form of what balanced
      allocation automates. sensitivity m by l1 on d ratios=[25%, 50%, 75%] plots the curves.
      """)

  static let fineTuning = ExplainTopic(
    name: "fine-tuning", summary: "training a pruned network a little to recover its accuracy",
    text: """
      Pruning removes channels the network was using, so accuracy drops; fine-tuning trains
      the pruned network further with a small learning rate (finetune defaults to lr 0.01,
      train to 0.1) so the remaining filters take over. Its budget decides a lot: with long
      fine-tuning even random pruning recovers well (Liu et al., ICLR 2019), so comparisons of
      criteria should fine-tune alike. finetune m2 on d epochs=1; compare m m2 on d shows what
      was recovered.
      """)

  static let distillation = ExplainTopic(
    name: "distillation", summary: "learning from a teacher's soft targets (teacher=m)",
    text: """
      Knowledge distillation (Hinton et al. 2015) trains the student on the teacher's softened
      outputs as well as on the labels: L = α·T²·KL(softmax(z_t/T) ‖ softmax(z_s/T)) +
      (1 − α)·CE(y, softmax(z_s)), temperature T (default 4) and α (default 0.9). The soft
      targets say which wrong classes are almost right, which helps a pruned network recover
      from its unpruned self: finetune m2 on d teacher=m epochs=1.
      """)

  static let gradual = ExplainTopic(
    name: "gradual", summary: "pruning while training, a few channels at a time",
    text: """
      Gradual pruning (Aketi et al., IEEE Access 2020; ALGORITHMS.md §5) prunes during
      training instead of after it: every `every` epochs until epoch `until`, it scores the
      channels (by FRS or any criterion), masks the lowest x = ratio·N / steps of them globally
      for good, and trains on; the masked channels are cut physically at the end. Later epochs
      already run on the smaller network, and the network adapts to each cut as it goes.
      gradual m0 on d by frs ratio=40% epochs=3 every=1 until=2; plot mg kind=epochs.
      """)

  static let clusters = ExplainTopic(
    name: "clusters", summary: "criteria that rank alike, grouped (see cluster)",
    text: BlendTopics.cluster.text,
    figures: BlendTopics.cluster.figures)

  static let blending = ExplainTopic(
    name: "blending", summary: "mixing criteria with calibration factors (see blend)",
    text: BlendTopics.blend.text,
    figures: BlendTopics.blend.figures)
}

/// The numbers `explain` shows for a plan or a model's cost.
enum PlanExplanation {
  /// ``cuts(_:)`` as a topic's plan figures.
  static let cutsFigures: @Sendable (PlanValue) throws -> [OutputItem] = { plan in cuts(plan) }

  /// Each group's cut: channels before, removed, kept, share; with the plan's totals.
  static func cuts(_ value: PlanValue) -> [OutputItem] {
    let plan = value.plan
    var items: [OutputItem] = []
    var lines = [
      "plan for \(plan.model): criterion \(plan.criterion), allocation \(plan.strategy.name), "
        + "selection \(plan.selection.rawValue), ratio \(Figure.format(plan.ratio))"
    ]
    if let delta = plan.threshold {
      lines.append(
        "balanced threshold δ = \(NumberFormat.short(delta)) (loss change allowed per group)")
    } else if plan.strategy.name == "balanced" {
      lines.append("(this plan was made before plans kept their threshold δ)")
    }
    let flops = 1 - Double(value.macsAfter) / Double(max(value.macsBefore, 1))
    let params = 1 - Double(value.paramsAfter) / Double(max(value.paramsBefore, 1))
    lines.append(
      "FLOPs \(NumberFormat.compact(value.macsBefore)) → \(NumberFormat.compact(value.macsAfter)) "
        + "(−\(NumberFormat.percent(flops))), parameters −\(NumberFormat.percent(params))")
    items.append(.text(lines.joined(separator: "\n")))
    var table = Table(
      title: "cut per group",
      columns: [.text("group"), .numeric("channels"), .numeric("removed"), .numeric("cut")])
    for group in plan.groups {
      table.addRow([
        group.group, String(group.channels), String(group.removed.count),
        NumberFormat.percent(Double(group.removed.count) / Double(max(group.channels, 1))),
      ])
    }
    items.append(.table(table))
    return items
  }

  /// The model's conv and linear layers by MACs, heaviest first (at most ten), with shares.
  static func heaviest(_ model: ModelValue) throws -> [OutputItem] {
    let macs = try model.network.macsByNode()
    let params = model.network.parametersByNode
    let total = max(macs.values.reduce(0, +), 1)
    let ranked = macs.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
    var table = Table(
      title: "heaviest layers of \(model.network.name): \(NumberFormat.compact(total)) MACs in all",
      columns: [.text("layer"), .numeric("MACs"), .numeric("share"), .numeric("params")])
    for (name, count) in ranked.prefix(10) {
      table.addRow([
        name, NumberFormat.compact(count), NumberFormat.percent(Double(count) / Double(total)),
        NumberFormat.compact(params[name] ?? 0),
      ])
    }
    return [.table(table)]
  }
}
