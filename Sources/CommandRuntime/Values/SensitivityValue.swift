import CommandLanguage
import Pruning
import Render

/// A group-aware sensitivity sweep (``Pruning/SensitivityReport``): each channel group pruned
/// alone at several ratios, with the loss and accuracy change.
///
/// Archive: JSON. Figures: `groups`, `ratios`, `base.loss`, and `loss.<group>` — the loss
/// changes of one group at every ratio, in order, as floats named `loss.<group>@<ratio>`.
public struct SensitivityValue: Value {
  /// The sweep.
  public internal(set) var report: SensitivityReport
  /// The model's name.
  public var model: String

  /// Wraps a sweep of `model`.
  public init(report: SensitivityReport, model: String) {
    self.report = report
    self.model = model
  }

  public var type: ValueType { .sensitivity }

  public var summary: String {
    "sensitivity of \(model) by \(report.criterion): \(report.groups.count) groups × "
      + "\(report.ratios.count) ratios"
  }

  public var figures: Figures {
    var f = Figures([
      ("groups", .count(report.groups.count)), ("ratios", .count(report.ratios.count)),
      ("base.loss", .float(report.baseLoss)),
    ])
    for p in report.points {
      f.append("loss.\(p.group)@\(Figure.format(p.ratio))", .float(p.lossChange))
    }
    return f
  }

  public func archive() throws -> [UInt8] {
    try JSONCoding.encode(Stored(report: report, model: model))
  }

  private struct Stored: Codable {
    var report: SensitivityReport
    var model: String
  }

  /// Restores a sweep from its JSON.
  public static func unarchive(_ bytes: [UInt8]) throws -> SensitivityValue {
    let s = try JSONCoding.decode(Stored.self, from: bytes, what: "Sensitivity")
    return SensitivityValue(report: s.report, model: s.model)
  }

  /// A table (loss and accuracy change per group and ratio) and a chart of the loss changes.
  public func details() -> [OutputItem] {
    let ratios = report.ratios
    var table = Table(
      title: summary + " (base loss \(NumberFormat.fixed(report.baseLoss, decimals: 4)))",
      columns: [.text("group")]
        + ratios.map { .numeric("Δloss @" + NumberFormat.percent($0, decimals: 0)) }
        + ratios.map { .numeric("Δacc @" + NumberFormat.percent($0, decimals: 0)) })
    for g in report.groups {
      let points = report.points.filter { $0.group == g }
      table.addRow(
        [g] + points.map { NumberFormat.fixed($0.lossChange, decimals: 4) }
          + points.map { NumberFormat.fixed($0.accuracyChange * 100, decimals: 1) + " pp" })
    }
    var items: [OutputItem] = [.table(table)]
    let series = report.groups.prefix(6).map { g in
      LineChart.Series(name: g, values: report.points.filter { $0.group == g }.map(\.lossChange))
    }
    if ratios.count > 1,
      let chart = try? LineChart(
        title: "loss change when one group is pruned"
          + (report.groups.count > 6 ? " (first 6)" : ""),
        x: ratios, series: Array(series), xLabel: "ratio", yLabel: "Δloss")
    {
      items.append(.picture(.lineChart(chart)))
    }
    return items
  }
}
