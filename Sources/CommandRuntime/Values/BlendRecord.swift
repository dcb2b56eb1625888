import DurableIO
import Pruning
import Render

/// What a `blend` produced besides the criterion: the search (space, settings, the full lineage
/// of evaluated genomes, per-generation best and mean, cache counts) and how it was asked for.
/// Part of a blended ``CriterionValue``'s archive, so a session stores the whole audit trail.
public struct BlendRecord: Codable, Sendable, Equatable {
  /// The blended criterion (best genome's α per group).
  public var criterion: BlendedCriterion
  /// The search.
  public var result: BlendSearchResult
  /// The model searched on.
  public var model: String
  /// The pruning ratio the fitness was measured at.
  public var ratio: Double
  /// The allocation that fixed the channels per group.
  public var allocation: String
  /// Fitness images (from the training split).
  public var images: Int
  /// Recalibration images (0: none).
  public var recalibrate: Int

  /// Figures replay compares: the best and best one-hot fitness, counts, the lineage's hash,
  /// and every α of the best genome as `alpha.<group>.<criterion>`.
  var figures: [(String, Figure)] {
    var f: [(String, Figure)] = [
      ("blend.fitness", .text(result.options.metric.rawValue)),
      ("blend.best", .float(result.best.fitness)),
      ("blend.best.accuracy", .float(result.best.measure.accuracy)),
      ("blend.best.loss", .float(result.best.measure.loss)),
      ("blend.onehot", .text(result.bestOneHot.map { String($0.origin.dropFirst(8)) } ?? "none")),
      ("blend.onehot.best", .float(result.bestOneHot?.fitness ?? .nan)),
      ("blend.evaluations", .count(result.lineage.count)),
      ("blend.run", .count(result.evaluationsRun)),
      ("blend.hits", .count(result.cacheHits)),
      ("blend.stopped", .text(result.stoppedEarly ? "yes" : "no")),
      ("blend.lineage", .hash(ContentHash.hex((try? JSONCoding.encode(result.lineage)) ?? []))),
    ]
    if let point = result.stoppedAt { f.append(("blend.stoppedAt", .indices(point.position))) }
    for g in criterion.groups {
      for (c, a) in zip(g.candidates, g.alphas) { f.append(("alpha.\(g.group).\(c)", .float(a))) }
    }
    return f
  }

  /// One line: what was blended and how fit it is.
  var summary: String {
    let metric = result.options.metric
    func show(_ e: BlendEvaluation) -> String {
      metric == .accuracy
        ? NumberFormat.percent(e.measure.accuracy, decimals: 2)
        : "loss " + NumberFormat.fixed(e.measure.loss, decimals: 4)
    }
    var line =
      "\(criterion.name): \(UniformBlend.isUniform(result) ? "uniform blend (every α equal, no search)" : "EA blend") on \(model) at \(NumberFormat.percent(ratio, decimals: 0)) "
      + "(\(allocation)), \(images) fitness images, best \(show(result.best))"
    if let o = result.bestOneHot { line += " vs best single \(o.origin.dropFirst(8)) \(show(o))" }
    line +=
      "; \(result.lineage.count) individuals, \(result.evaluationsRun) evaluated, cache hits "
      + NumberFormat.percent(result.hitRate, decimals: 0)
    if result.stoppedEarly {
      line += " (stopped early" + (result.stoppedAt.map { ": \($0)" } ?? "") + ")"
    }
    return line
  }

  /// The α table, the fitness chart, and the EA's moves.
  var details: [OutputItem] {
    var items: [OutputItem] = [.text(summary)]
    let names = result.space.criteria.filter { c in
      criterion.groups.contains { $0.candidates.contains(c) }
    }
    var table = Table(
      title: "calibration factors α of the best individual (blank: not a candidate there)",
      columns: [.text("group"), .numeric("removed")] + names.map { .numeric($0) })
    for (g, s) in zip(criterion.groups, result.space.groups) {
      let cells = names.map { c in
        g.candidates.firstIndex(of: c).map { NumberFormat.fixed(g.alphas[$0], decimals: 3) } ?? ""
      }
      table.rows.append([g.group, "\(s.removed)/\(g.channels)"] + cells)
    }
    items.append(.table(table))
    if let chart = fitnessChart { items.append(.picture(.lineChart(chart))) }
    return items
  }

  /// Best and mean fitness per generation.
  var fitnessChart: LineChart? {
    let gens = result.generations
    guard !gens.isEmpty else { return nil }
    return try? LineChart(
      title: "fitness (\(result.options.metric.rawValue)) per generation",
      x: gens.map { Double($0.generation) },
      series: [
        .init(name: "best", values: gens.map(\.best)),
        .init(name: "mean", values: gens.map(\.mean)),
      ],
      xLabel: "generation", yLabel: result.options.metric == .accuracy ? "accuracy" : "−loss")
  }

  /// What the search did, in words and numbers: the best individual against the best single
  /// candidate and the uniform blend, where the best came from, how far α moved from the
  /// one-hot start, and what the cache saved. With `model`, whether it is the searched one.
  func explanation(model: ModelValue?) -> [OutputItem] {
    let r = result
    let metric = r.options.metric
    func show(_ e: BlendEvaluation) -> String {
      "accuracy \(NumberFormat.percent(e.measure.accuracy, decimals: 2)), loss "
        + NumberFormat.fixed(e.measure.loss, decimals: 4)
    }
    var lines = [
      "This blend of \(model.map { $0.network.name } ?? self.model): \(r.space.groups.count) groups, "
        + "\(r.space.genes.count) genes (share=\(r.space.sharing.rawValue)), fitness = "
        + "\(metric == .accuracy ? "accuracy" : "−loss") on \(images) training images"
        + (recalibrate > 0 ? " after re-estimating batch norm on \(recalibrate)" : "") + "."
    ]
    if let o = r.bestOneHot {
      lines.append("best single candidate (\(o.origin.dropFirst(8))): \(show(o))")
    }
    if let u = r.lineage.first(where: { $0.origin == "uniform" }) {
      lines.append("uniform α (equal weights): \(show(u))")
    }
    lines.append(
      "best found: \(show(r.best)) — generation \(r.best.generation), \(r.best.origin)")
    var moved: [(String, Double)] = []
    for (g, factors) in zip(r.space.groups, criterion.groups) {
      let top = zip(factors.candidates, factors.alphas).max { $0.1 < $1.1 }
      if let top { moved.append(("\(g.id): \(top.0)", top.1)) }
    }
    lines.append(
      "largest α per group: "
        + moved.map { "\($0.0) \(NumberFormat.fixed($0.1, decimals: 2))" }
        .joined(separator: ", "))
    let masks = Set(r.lineage.map(\.maskHash)).count
    lines.append(
      "\(r.lineage.count) individuals gave \(masks) distinct keep-masks; the cache answered "
        + "\(r.cacheHits) of \(r.cacheLookups) lookups (\(NumberFormat.percent(r.hitRate, decimals: 0)))"
        + (r.stoppedEarly ? "; the search was stopped early" : "") + ".")
    if let model, WeightsDigest.of(model.network) != criterion.weights {
      lines.append(
        "note: \(model.network.name) is not the searched network (other weights); planning it "
          + "by this blend scores the candidates afresh")
    }
    var items: [OutputItem] = [.text(lines.joined(separator: "\n"))]
    if let chart = fitnessChart { items.append(.picture(.lineChart(chart))) }
    return items
  }
}
