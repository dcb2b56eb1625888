import Foundation
import NeuralNet
import Pruning
import Render

/// The per-epoch record of a `gradual` run, kept in the model's metadata so that `show` and
/// `plot … kind=epochs` can draw it and `save`/`load` keep it.
///
/// Two metadata entries: `gradual` (JSON of this type without timings: schedule, criterion,
/// per epoch loss, accuracies, channels, MACs, params, removed) and `gradual.measured` (JSON
/// of per-epoch seconds and images per second). Measured entries (keys ending in `.measured`)
/// are left out of the model's content hash, so a replay that trains at another speed still
/// verifies.
public struct GradualHistory: Codable, Equatable, Sendable {
  /// One epoch, without its timings.
  public struct Epoch: Codable, Equatable, Sendable {
    public var epoch: Int
    public var loss: Double
    public var trainAccuracy: Double
    public var testAccuracy: Double?
    public var channels: Int
    public var macs: Int
    public var params: Int
    public var removed: Int
  }

  /// Per-epoch timings (measured; not part of the content hash).
  public struct Measured: Codable, Equatable, Sendable {
    public var seconds: [Double]
    public var imagesPerSecond: [Double]
  }

  /// The metadata keys.
  public static let key = "gradual"
  public static let measuredKey = "gradual.measured"

  public var schedule: GradualSchedule
  public var criterion: String
  public var channelsBefore: Int
  public var macsBefore: Int
  public var paramsBefore: Int
  public var epochs: [Epoch]

  /// The history of `report`.
  public init(_ report: GradualReport) {
    schedule = report.schedule
    criterion = report.criterion
    channelsBefore = report.channelsBefore
    macsBefore = report.macsBefore
    paramsBefore = report.paramsBefore
    epochs = report.epochs.map {
      Epoch(
        epoch: $0.epoch, loss: $0.loss, trainAccuracy: $0.trainAccuracy,
        testAccuracy: $0.testAccuracy, channels: $0.channels, macs: $0.macs, params: $0.params,
        removed: $0.removed)
    }
  }

  /// The metadata entries for `report`.
  public static func metadata(_ report: GradualReport) throws -> [String: String] {
    let measured = Measured(
      seconds: report.epochs.map(\.seconds), imagesPerSecond: report.epochs.map(\.imagesPerSecond))
    return [
      key: String(decoding: try JSONCoding.encode(GradualHistory(report)), as: UTF8.self),
      measuredKey: String(decoding: try JSONCoding.encode(measured), as: UTF8.self),
    ]
  }

  /// The history stored in `metadata`, or nil.
  public static func from(_ metadata: [String: String]) -> GradualHistory? {
    guard let text = metadata[key] else { return nil }
    return try? JSONCoding.decode(GradualHistory.self, from: Array(text.utf8), what: "history")
  }

  /// The timings stored in `metadata`, or nil.
  public static func measured(_ metadata: [String: String]) -> Measured? {
    guard let text = metadata[measuredKey] else { return nil }
    return try? JSONCoding.decode(Measured.self, from: Array(text.utf8), what: "timings")
  }

  /// Accuracy (test, else train) and the fraction of FLOPs kept, per epoch.
  public func chart() throws -> LineChart {
    let hasTest = epochs.allSatisfy { $0.testAccuracy != nil }
    return try LineChart(
      title:
        "gradual \(criterion): \(hasTest ? "test" : "train") accuracy and FLOPs kept per epoch",
      x: epochs.map { Double($0.epoch) },
      series: [
        .init(
          name: hasTest ? "test accuracy" : "train accuracy",
          values: epochs.map { $0.testAccuracy ?? $0.trainAccuracy }),
        .init(
          name: "FLOPs kept", values: epochs.map { Double($0.macs) / Double(max(macsBefore, 1)) }),
      ], xLabel: "epoch", yLabel: "fraction")
  }

  /// A table of the epochs (with timings when given) and the chart.
  public func items(measured: Measured?) -> [OutputItem] {
    var columns: [Table.Column] = [
      .numeric("epoch"), .numeric("loss"), .numeric("train acc"), .numeric("test acc"),
      .numeric("removed"), .numeric("channels"), .numeric("MACs"),
    ]
    if measured != nil { columns.append(.numeric("img/s")) }
    var table = Table(
      title:
        "gradual pruning by \(criterion): ratio \(Figure.format(schedule.ratio)) of "
        + "\(schedule.target.rawValue), every \(schedule.every) epoch(s) until epoch "
        + "\(schedule.until) of \(schedule.epochs)",
      columns: columns)
    for (i, e) in epochs.enumerated() {
      var row = [
        String(e.epoch), NumberFormat.fixed(e.loss, decimals: 4),
        NumberFormat.percent(e.trainAccuracy, decimals: 1),
        e.testAccuracy.map { NumberFormat.percent($0, decimals: 1) } ?? "",
        e.removed > 0 ? String(e.removed) : "", "\(e.channels)/\(channelsBefore)",
        NumberFormat.compact(e.macs),
      ]
      if let m = measured {
        row.append(i < m.imagesPerSecond.count ? NumberFormat.compact(m.imagesPerSecond[i]) : "")
      }
      table.addRow(row)
    }
    var items: [OutputItem] = [.table(table)]
    if epochs.count >= 2, let chart = try? chart() { items.append(.picture(.lineChart(chart))) }
    return items
  }
}
