import CommandLanguage
import NeuralNet
import Render

/// Accuracy and loss of a model on a split.
///
/// Archive: JSON (sorted keys) of the metrics, the split and the model name. Figures:
/// `accuracy`, `loss` (floats), `count`, `correct`.
public struct MetricsValue: Value {
  /// The engine's figures.
  public internal(set) var metrics: Metrics
  /// `test` or `train`.
  public var split: String
  /// The model's name (`vgg-small`).
  public var model: String

  /// Wraps metrics measured on `split` for `model`.
  public init(metrics: Metrics, split: String, model: String) {
    self.metrics = metrics
    self.split = split
    self.model = model
  }

  public var type: ValueType { .metrics }

  public var summary: String {
    "\(model) on \(split): accuracy \(NumberFormat.percent(metrics.accuracy, decimals: 2)) "
      + "(\(NumberFormat.grouped(metrics.correct))/\(NumberFormat.grouped(metrics.count))), "
      + "loss \(NumberFormat.fixed(metrics.loss, decimals: 4))"
  }

  public var figures: Figures {
    Figures([
      ("accuracy", .float(metrics.accuracy)),
      ("loss", .float(metrics.loss)),
      ("count", .count(metrics.count)),
      ("correct", .count(metrics.correct)),
    ])
  }

  private struct Stored: Codable {
    var metrics: Metrics
    var split: String
    var model: String
  }

  /// JSON of the metrics, split and model name.
  public func archive() throws -> [UInt8] {
    try JSONCoding.encode(Stored(metrics: metrics, split: split, model: model))
  }

  /// Restores metrics from their JSON.
  public static func unarchive(_ bytes: [UInt8]) throws -> MetricsValue {
    let stored = try JSONCoding.decode(Stored.self, from: bytes, what: "Metrics")
    return MetricsValue(metrics: stored.metrics, split: stored.split, model: stored.model)
  }

  /// A two-column table of the figures.
  public func details() -> [OutputItem] {
    var table = Table(
      title: "\(model) on the \(split) split", columns: [.text("figure"), .numeric("value")])
    table.addRow(["accuracy", NumberFormat.percent(metrics.accuracy, decimals: 2)])
    table.addRow(["loss", NumberFormat.fixed(metrics.loss, decimals: 4)])
    table.addRow(["correct", NumberFormat.grouped(metrics.correct)])
    table.addRow(["images", NumberFormat.grouped(metrics.count)])
    return [.table(table)]
  }
}
