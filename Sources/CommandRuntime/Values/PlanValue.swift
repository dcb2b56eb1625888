import CommandLanguage
import NeuralNet
import Pruning
import Render

/// A pruning plan: per channel group which channels go (``Pruning/PruningPlan``), with the
/// FLOPs and parameter counts the pruned network will have (estimated from its graph).
///
/// Archive: JSON. Figures: `strategy`, `selection`, `criterion`, `ratio`, `removed` (channels
/// in all), `macs.after`, `params.after`, and `removed.<group>` — the exact index set of every
/// group, so a replay proves the same channels go.
public struct PlanValue: Value {
  /// The plan.
  public internal(set) var plan: PruningPlan
  /// Counts of the network before and after (estimated: counted on the graph).
  var macsBefore: Int
  var macsAfter: Int
  var paramsBefore: Int
  var paramsAfter: Int
  /// Predicted inference seconds of one batch before and after, when planned with a latency
  /// model.
  var latency: [Double]?

  /// A plan with the counts of `network` before and after it (and its predicted latency when
  /// `model` is given).
  public init(plan: PruningPlan, network: Network, latency model: LatencyModel? = nil) throws {
    let pruned = try Surgery.prune(network, with: plan)
    self.init(
      plan: plan, macsBefore: network.macs, macsAfter: pruned.macs,
      paramsBefore: network.parameterCount, paramsAfter: pruned.parameterCount)
    if let model {
      latency = [model.predict(removed: [:]), try model.predict(network: pruned)]
    }
  }

  init(plan: PruningPlan, macsBefore: Int, macsAfter: Int, paramsBefore: Int, paramsAfter: Int) {
    self.plan = plan
    self.macsBefore = macsBefore
    self.macsAfter = macsAfter
    self.paramsBefore = paramsBefore
    self.paramsAfter = paramsAfter
  }

  public var type: ValueType { .plan }

  public var summary: String {
    let flops = 1 - Double(macsAfter) / Double(max(macsBefore, 1))
    let params = 1 - Double(paramsAfter) / Double(max(paramsBefore, 1))
    var text =
      "plan for \(plan.model) by \(plan.criterion), \(plan.strategy.name)/\(plan.selection.rawValue) "
      + "ratio \(Figure.format(plan.ratio)): \(plan.removedCount) channels go, "
      + "FLOPs -\(NumberFormat.percent(flops, decimals: 1)), params -"
      + NumberFormat.percent(params, decimals: 1)
    if let l = latency, l.count == 2 {
      text +=
        ", predicted latency "
        + NumberFormat.signedPercent(l[1] / max(l[0], 1e-12) - 1, decimals: 1)
    }
    text += " (estimated)"
    if let a = plan.alignment {
      text +=
        "; aligned to \(a.multiple)\(a.byLatency ? " (latency)" : a.automatic ? " (auto)" : ""): \(a.changes.count) group(s) rounded"
    }
    return text
  }

  public var figures: Figures {
    var f = Figures([
      ("strategy", .text(plan.strategy.name)), ("selection", .text(plan.selection.rawValue)),
      ("criterion", .text(plan.criterion)), ("ratio", .float(plan.ratio)),
      ("removed", .count(plan.removedCount)), ("macs.after", .count(macsAfter)),
      ("params.after", .count(paramsAfter)),
    ])
    if let a = plan.alignment {
      f.append("align", .count(a.multiple))
      f.append("align.changed", .count(a.changes.count))
    }
    for g in plan.groups { f.append("removed.\(g.group)", .indices(g.removed)) }
    return f
  }

  private struct Stored: Codable {
    var plan: PruningPlan
    var macs: [Int]
    var params: [Int]
    var latency: [Double]?
  }

  public func archive() throws -> [UInt8] {
    try JSONCoding.encode(
      Stored(
        plan: plan, macs: [macsBefore, macsAfter], params: [paramsBefore, paramsAfter],
        latency: latency))
  }

  /// Restores a plan from its JSON.
  public static func unarchive(_ bytes: [UInt8]) throws -> PlanValue {
    let s = try JSONCoding.decode(Stored.self, from: bytes, what: "Plan")
    guard s.macs.count == 2, s.params.count == 2 else {
      throw RuntimeError.unarchive(type: "Plan", problem: "counts are missing")
    }
    var value = PlanValue(
      plan: s.plan, macsBefore: s.macs[0], macsAfter: s.macs[1], paramsBefore: s.params[0],
      paramsAfter: s.params[1])
    value.latency = s.latency
    return value
  }

  /// For a targeted strategy (balanced): what the target counts, the ratio asked and the
  /// reduction the plan reaches (estimated on the graph); nil for the others.
  public var targetReached: (target: ReductionTarget, asked: Double, reached: Double)? {
    let target: ReductionTarget
    switch plan.strategy {
    case .balanced(let t, _, _): target = t
    case .global(_, let t?): target = t
    default: return nil
    }
    let reached: Double
    switch target {
    case .flops: reached = 1 - Double(macsAfter) / Double(max(macsBefore, 1))
    case .params: reached = 1 - Double(paramsAfter) / Double(max(paramsBefore, 1))
    case .latency:
      guard let l = latency, l.count == 2 else { return nil }
      reached = 1 - l[1] / max(l[0], 1e-12)
    }
    return (target, plan.ratio, reached)
  }

  /// Warnings a user must see: a target out of reach (the floors stop the cut short), or a
  /// reduction more than the search's tolerance above the target (a step too coarse).
  public var warnings: [String] {
    guard let t = targetReached, plan.alignment == nil else { return [] }
    let what = PlanValue.targetName(t.target)
    let tolerance = AllocationStrategy.balancedTolerance
    if t.reached < t.asked - 1e-9 {
      return [
        "the target of -\(NumberFormat.percent(t.asked, decimals: 1)) \(what) is out of reach: "
          + "with every group cut to its floor the plan removes only "
          + "\(NumberFormat.percent(t.reached, decimals: 1)); lower the ratio or the floor"
      ]
    }
    if t.reached > t.asked + tolerance {
      return [
        "the plan removes \(NumberFormat.percent(t.reached, decimals: 1)) of the \(what), more "
          + "than \(NumberFormat.percent(tolerance, decimals: 1)) above the "
          + "\(NumberFormat.percent(t.asked, decimals: 1)) asked: one more step of one group "
          + "weighs more than that (a small network, or a coarse step=)"
      ]
    }
    return []
  }

  /// One row per group, and a bar chart of the fraction each loses.
  public func details() -> [OutputItem] {
    var table = Table(
      title: summary,
      columns: [
        .text("group"), .numeric("channels"), .numeric("kept"), .numeric("removed"),
        .text("first removed"),
      ])
    for g in plan.groups {
      table.addRow([
        g.group, String(g.channels), String(g.channels - g.removed.count), String(g.removed.count),
        g.removed.prefix(6).map(String.init).joined(separator: ", ")
          + (g.removed.count > 6 ? ", …" : ""),
      ])
    }
    var items: [OutputItem] = [.table(table)]
    if let a = plan.alignment {
      items.append(.text(alignmentText(a)))
    }
    if let t = targetReached, case .balanced(_, let step, let mode) = plan.strategy {
      items.append(
        .text(
          "target: \(PlanValue.targetName(t.target)) -"
            + "\(NumberFormat.percent(t.asked, decimals: 1)), reached -"
            + "\(NumberFormat.percent(t.reached, decimals: 2)) (search tolerance "
            + "+\(NumberFormat.percent(AllocationStrategy.balancedTolerance, decimals: 1)); "
            + "\((mode ?? .cached).rawValue) measurement, step \(step ?? 1))"))
    }
    items += warnings.map { OutputItem.warning($0) }
    if let chart = try? BarChart(
      title: "fraction of channels removed per group", labels: plan.groups.map(\.group),
      values: plan.groups.map { Double($0.removed.count) / Double(max($0.channels, 1)) })
    {
      items.append(.picture(.barChart(chart)))
    }
    return items
  }

  /// The target's name in messages.
  static func targetName(_ t: ReductionTarget) -> String {
    switch t {
    case .flops: return "FLOPs"
    case .params: return "parameters"
    case .latency: return "predicted latency"
    }
  }

  /// What the rounding of kept counts changed, one line per group.
  func alignmentText(_ a: ChannelAlignment) -> String {
    var lines = [
      "aligned to multiples of \(a.multiple)"
        + (a.byLatency
          ? " (latency: the engine's block, neighbouring multiples chosen by the latency model)"
          : a.automatic ? " (auto: the engine's block)" : "") + ": "
        + (a.changes.isEmpty
          ? "no kept count changed" : "\(a.changes.count) group(s) rounded (kept before → after)")
    ]
    for c in a.changes {
      lines.append(
        "  \(c.group): \(c.unaligned) → \(c.aligned) of \(c.channels)"
          + (c.aligned == c.channels && c.aligned % a.multiple != 0 ? " (kept whole)" : ""))
    }
    return lines.joined(separator: "\n")
  }
}
