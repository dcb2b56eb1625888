import NeuralNet
import Pruning
import Render
import Statistics
import TensorCore

/// `explain` topics about comparing criteria and the structure of a network.
enum AnalysisTopics {
  /// The list of criteria.
  static let criteria = ExplainTopic(
    name: "criteria", summary: "the pruning criteria Shears knows, one line each",
    text: (["A criterion gives every filter of every conv layer a score; larger = keep."]
      + CriterionRegistry.standard.entries.map { entry in
        "  \(entry.name.padding(8))\(entry.summary) [\(entry.needs.rawValue)]"
      } + ["explain <criterion> shows its formula; explain <criterion> m shows m's numbers."])
      .joined(separator: "\n"))

  /// Rank similarity of criteria.
  static let similarity = ExplainTopic(
    name: "similarity", summary: "how alike two criteria rank a layer's filters",
    text: """
      Two criteria are similar in a layer when they rank its filters alike, so they prune the
      same filters. Per layer, with s and t the two score vectors:
        Spearman ρ = Pearson correlation of the ranks of s and t (ties get their mean rank);
        Kendall τ-b = (concordant − discordant pairs) / sqrt((n₀ − n₁)(n₀ − n₂)), tie-corrected;
        overlap = |P_s ∩ P_t| / |P_s|, P the filters each prunes at a ratio.
      ρ near 1 means the same order. "Rethinking the Pruning Criteria" (NeurIPS 2021) finds ℓ1,
      ℓ2, FPGM and Fermat nearly identical layer by layer: under CWDA, FPGM and Fermat are
      monotone in ℓ2. With a model: ρ and τ of ℓ1, ℓ2 and FPGM in each conv layer.
      """,
    figures: { model, _, context in try similarityFigures(model, context: context) })

  /// The convolutional weight distribution assumption.
  static let cwda = ExplainTopic(
    name: "cwda", summary: "the Convolutional Weight Distribution Assumption and its tests",
    text: """
      CWDA: the N filters of a trained conv layer, points in R^k (k = C·K·K), are roughly
      i.i.d. N(0, σ²I_k) — centred, nearly uncorrelated coordinates, Gaussian-like.
      Consequences: the Fermat point is ≈ 0 (Fermat ≈ ℓ2), FPGM is monotone in ℓ2, and ℓ2
      scores have a coefficient of variation ≈ 1/sqrt(2k), too narrow a band to separate
      filters in wide layers ("Rethinking the Pruning Criteria", NeurIPS 2021).
      Tests per layer: t-tests of each coordinate's mean (Benjamini–Hochberg), the covariance's
      off-diagonal ratio and sphericity U = k·tr(S²)/(tr S)² − 1, Shapiro–Wilk per coordinate,
      D'Agostino–Pearson on the pooled weights, Kolmogorov–Smirnov on random projections.
      With a model: the battery's findings per conv layer next to their CWDA values.
      """,
    figures: { model, _, context in try cwdaFigures(model, context: context) })

  /// Channel groups of residual networks.
  static let groups = ExplainTopic(
    name: "groups", summary: "channels that must be pruned together in residual networks",
    text: """
      A residual addition y = F(x) + x needs both inputs to have the same channels, so every
      conv whose output meets in the same stream — the second conv of each block of a ResNet
      stage, a projection shortcut, and (with option-A zero-padding shortcuts) the stream
      they pad — must drop the same channel indices. Such a set is a group: its importance is
      Σ over members of the layer-normalised scores, s_G,j = Σ_l s_l,j / ‖s_l‖₂, and pruning
      channel j removes filter j of every member and input j of every layer reading the stream
      ("Balanced Performance and Pruning Speed", ACCV 2020). Plain layers are groups of one.
      With a model: its groups joined by additions.
      """,
    figures: { model, _, _ in try groupFigures(model) })

  static func similarityFigures(_ model: ModelValue, context: CommandContext) throws
    -> [OutputItem]
  {
    let input = ScoringInput(
      network: model.network, context: context.compute, rng: context.rng.derived("explain"))
    let all = try CriterionRegistry.standard.score(["l1", "l2", "fpgm"], input: input)
    var table = Table(
      title: "rank similarity in \(model.network.name)",
      columns: [
        .text("layer"), .numeric("filters"), .numeric("ρ l1·l2"), .numeric("ρ l2·fpgm"),
        .numeric("τ l1·l2"),
      ])
    func format(_ compute: () throws -> Double) -> String {
      (try? compute()).map { NumberFormat.fixed($0, decimals: 3) } ?? "n/a"
    }
    for layer in all[0].layers {
      let l1 = all[0][layer] ?? []
      let l2 = all[1][layer] ?? []
      let fpgm = all[2][layer] ?? []
      table.addRow([
        layer, String(l1.count),
        format { try Correlation.spearman(l1, l2).coefficient },
        format { try Correlation.spearman(l2, fpgm).coefficient },
        format { try Correlation.kendallTauB(l1, l2).coefficient },
      ])
    }
    return [.table(table)]
  }

  static func cwdaFigures(_ model: ModelValue, context: CommandContext) throws -> [OutputItem] {
    var table = Table(
      title: "CWDA tests in \(model.network.name) (value / value if CWDA held)",
      columns: [
        .text("layer"), .numeric("N"), .numeric("k"), .numeric("means ≠ 0"),
        .numeric("sphericity"), .numeric("normal coords"), .numeric("normal proj."),
      ])
    var rng = context.rng.derived("explain.cwda")
    let options = CWDAOptions(maxShapiroWilkCoordinates: 64, maxPooledShapiroWilkSamples: 2000)
    for (name, spec) in model.convolutions {
      try context.checkInterrupt()
      guard let weights = model.network.parameters[name + ".weight"] else { continue }
      let k = spec.inChannels * spec.kernel * spec.kernel
      let filters = try FilterMatrix(rows: spec.outChannels, cols: k, values: weights.scalars)
      guard spec.outChannels >= 3 else {
        table.addRow([name, String(spec.outChannels), String(k), "n/a", "n/a", "n/a", "n/a"])
        continue
      }
      let report = try CWDABattery.run(filters: filters, projectionCount: 50, options: options) {
        Double(rng.nextNormal())
      }
      func fraction(_ value: Double?) -> String {
        value.map { NumberFormat.percent($0, decimals: 0) } ?? "n/a"
      }
      table.addRow([
        name, String(report.filters), String(report.dimension),
        NumberFormat.percent(report.meanRejectedFraction, decimals: 0) + " / 0%",
        NumberFormat.short(report.sphericity) + " / "
          + NumberFormat.short(report.sphericityUnderCWDA),
        fraction(report.shapiroWilkNotRejectedFraction) + " / 95%",
        fraction(report.projectionNotRejectedFraction) + " / 95%",
      ])
    }
    return [
      .table(table),
      .text(
        TextWrap.wrap(
          "means ≠ 0: coordinates whose mean is not 0 (BH at 5%); normal coords / proj.: share "
            + "of coordinates / random projections a 5% normality test does not reject.")),
    ]
  }

  static func groupFigures(_ model: ModelValue) throws -> [OutputItem] {
    let groups = try ChannelGroups(network: model.network).groups
    let joined = groups.filter(\.isResidualStream)
    guard !joined.isEmpty else {
      return [
        .text(
          "\(model.network.name) has no residual additions: each of its "
            + "\(model.convolutions.count) conv layers is a group of its own.")
      ]
    }
    var lines = ["groups joined by additions in \(model.network.name):"]
    for group in joined {
      let writers = (group.producers + group.shortcutProducers).joined(separator: ", ")
      lines.append(
        TextWrap.wrap("\(group.id) (\(group.channels) channels): \(writers)", width: 86)
          .split(separator: "\n").enumerated()
          .map { ($0.offset == 0 ? "  " : "      ") + $0.element }.joined(separator: "\n"))
    }
    let single = groups.count - joined.count
    lines.append("The other \(single) group(s) have one writer each (e.g. a block's first conv).")
    return [.text(lines.joined(separator: "\n"))]
  }
}

extension String {
  /// The string padded with spaces to `width` characters (unchanged when longer).
  func padding(_ width: Int) -> String {
    count >= width ? self + " " : self + String(repeating: " ", count: width - count)
  }
}
