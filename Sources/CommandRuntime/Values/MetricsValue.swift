import CommandLanguage
import NeuralNet
import Render

/// Accuracy and loss of a model on a split.
///
/// Archive: JSON (sorted keys) of the metrics, the split, the model name and, when batch norm
/// was re-estimated first (`eval … recalibrate=`), the images it used. Figures: `accuracy`,
/// `loss` (floats), `count`, `correct`, and `recalibrated` (images) when there was one.
public struct MetricsValue: Value {
  /// The engine's figures.
  public internal(set) var metrics: Metrics
  /// `test` or `train`.
  public var split: String
  /// The model's name (`vgg-small`).
  public var model: String
  /// Training images batch norm was re-estimated on before measuring (0: none).
  public var recalibrated: Int

  /// Wraps metrics measured on `split` for `model` (after re-estimating batch norm on
  /// `recalibrated` training images; 0: the trained statistics).
  public init(metrics: Metrics, split: String, model: String, recalibrated: Int = 0) {
    self.metrics = metrics
    self.split = split
    self.model = model
    self.recalibrated = recalibrated
  }

  public var type: ValueType { .metrics }

  public var summary: String {
    "\(model) on \(split): accuracy \(NumberFormat.percent(metrics.accuracy, decimals: 2)) "
      + "(\(NumberFormat.grouped(metrics.correct))/\(NumberFormat.grouped(metrics.count))), "
      + "loss \(NumberFormat.fixed(metrics.loss, decimals: 4))"
      + (recalibrated > 0 ? " (batch norm re-estimated on \(recalibrated) training images)" : "")
  }

  public var figures: Figures {
    var f = Figures([
      ("accuracy", .float(metrics.accuracy)),
      ("loss", .float(metrics.loss)),
      ("count", .count(metrics.count)),
      ("correct", .count(metrics.correct)),
    ])
    if recalibrated > 0 { f.append("recalibrated", .count(recalibrated)) }
    return f
  }

  private struct Stored: Codable {
    var metrics: Metrics
    var split: String
    var model: String
    /// Absent when batch norm was not re-estimated.
    var recalibrated: Int?
  }

  /// JSON of the metrics, split and model name (and the recalibration images, if any).
  public func archive() throws -> [UInt8] {
    try JSONCoding.encode(
      Stored(
        metrics: metrics, split: split, model: model,
        recalibrated: recalibrated > 0 ? recalibrated : nil))
  }

  /// Restores metrics from their JSON.
  public static func unarchive(_ bytes: [UInt8]) throws -> MetricsValue {
    let stored = try JSONCoding.decode(Stored.self, from: bytes, what: "Metrics")
    return MetricsValue(
      metrics: stored.metrics, split: stored.split, model: stored.model,
      recalibrated: stored.recalibrated ?? 0)
  }

  /// A two-column table of the figures.
  public func details() -> [OutputItem] {
    var table = Table(
      title: "\(model) on the \(split) split", columns: [.text("figure"), .numeric("value")])
    table.addRow(["accuracy", NumberFormat.percent(metrics.accuracy, decimals: 2)])
    table.addRow(["loss", NumberFormat.fixed(metrics.loss, decimals: 4)])
    table.addRow(["correct", NumberFormat.grouped(metrics.correct)])
    table.addRow(["images", NumberFormat.grouped(metrics.count)])
    if recalibrated > 0 {
      table.addRow(["BN re-estimated on", NumberFormat.grouped(recalibrated)])
    }
    return [.table(table)]
  }
}
