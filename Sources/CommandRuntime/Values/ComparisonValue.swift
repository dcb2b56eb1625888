import CommandLanguage
import Pruning
import Render

/// Two models side by side (``Pruning/ModelComparison``): accuracy and loss (measured), FLOPs
/// and parameters (estimated from the graphs), inference images per second (measured).
///
/// Archive: JSON. Figures: per side (`before.` / `after.`) `accuracy`, `loss`, `macs`,
/// `params`; measured speeds are shown but not recorded as figures, since timing is not
/// reproducible bit for bit.
public struct ComparisonValue: Value {
  /// The comparison.
  public internal(set) var comparison: ModelComparison

  /// Wraps a comparison.
  public init(comparison: ModelComparison) { self.comparison = comparison }

  public var type: ValueType { .comparison }

  public var summary: String {
    let c = comparison
    return "\(c.before.name) → \(c.after.name): accuracy "
      + NumberFormat.percent(c.before.accuracy, decimals: 2) + " → "
      + NumberFormat.percent(c.after.accuracy, decimals: 2) + ", FLOPs "
      + NumberFormat.signedPercent(-c.flopsReduction, decimals: 1) + ", params "
      + NumberFormat.signedPercent(-c.parameterReduction, decimals: 1) + ", speed ×"
      + NumberFormat.fixed(c.speedup, decimals: 2) + " (measured)"
  }

  public var figures: Figures {
    var f = Figures()
    for (side, m) in [("before", comparison.before), ("after", comparison.after)] {
      f.append("\(side).accuracy", .float(m.accuracy))
      f.append("\(side).loss", .float(m.loss))
      f.append("\(side).macs", .count(m.macs))
      f.append("\(side).params", .count(m.parameters))
    }
    return f
  }

  public func archive() throws -> [UInt8] { try JSONCoding.encode(comparison) }

  /// Restores a comparison from its JSON.
  public static func unarchive(_ bytes: [UInt8]) throws -> ComparisonValue {
    ComparisonValue(
      comparison: try JSONCoding.decode(ModelComparison.self, from: bytes, what: "Comparison"))
  }

  /// The before/after table, each figure labelled measured or estimated.
  public func details() -> [OutputItem] {
    let c = comparison
    var table = Table(
      title: "before / after (\(c.before.images) test images)",
      columns: [
        .text("figure"), .text("kind"), .numeric("before"), .numeric("after"), .numeric("change"),
      ])
    table.addRow([
      "accuracy", "measured", NumberFormat.percent(c.before.accuracy, decimals: 2),
      NumberFormat.percent(c.after.accuracy, decimals: 2),
      NumberFormat.fixed((c.after.accuracy - c.before.accuracy) * 100, decimals: 2) + " pp",
    ])
    table.addRow([
      "loss", "measured", NumberFormat.fixed(c.before.loss, decimals: 4),
      NumberFormat.fixed(c.after.loss, decimals: 4),
      NumberFormat.fixed(c.after.loss - c.before.loss, decimals: 4),
    ])
    table.addRow([
      "FLOPs (MACs)", "estimated", NumberFormat.compact(c.before.macs),
      NumberFormat.compact(c.after.macs),
      NumberFormat.signedPercent(-c.flopsReduction, decimals: 1),
    ])
    table.addRow([
      "params", "estimated", NumberFormat.grouped(c.before.parameters),
      NumberFormat.grouped(c.after.parameters),
      NumberFormat.signedPercent(-c.parameterReduction, decimals: 1),
    ])
    table.addRow([
      "images/s (batch \(ModelComparison.batchSize))", "measured",
      NumberFormat.fixed(c.before.imagesPerSecond, decimals: 0),
      NumberFormat.fixed(c.after.imagesPerSecond, decimals: 0),
      "×" + NumberFormat.fixed(c.speedup, decimals: 2),
    ])
    if let p = c.predictedSecondsPerImage, p.count == 2, let e = c.predictionErrors {
      table.addRow([
        "images/s predicted", "latency model",
        NumberFormat.fixed(1 / max(p[0], 1e-12), decimals: 0),
        NumberFormat.fixed(1 / max(p[1], 1e-12), decimals: 0),
        "×" + NumberFormat.fixed(p[0] / max(p[1], 1e-12), decimals: 2),
      ])
      table.addRow([
        "prediction error", "predicted/measured − 1",
        NumberFormat.fixed(e[0] * 100, decimals: 1) + "%",
        NumberFormat.fixed(e[1] * 100, decimals: 1) + "%", "",
      ])
    }
    return [.table(table)]
  }
}
