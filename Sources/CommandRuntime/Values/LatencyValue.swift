import CommandLanguage
import Pruning
import Render

/// A latency model of one network on this machine (``Pruning/LatencyModel``): each conv
/// shape's measured inference time over a grid of kept channel counts, and the whole network's
/// measured time.
///
/// Archive: JSON. Figures: `model`, `batch`, `threads`, `shapes`, `convs` — not the times,
/// which no two runs measure alike. `profile` records its model with the cell
/// (``RecordedMeasurement``) and a replay restores it instead of measuring, so a plan made
/// with `target=latency` replays bit for bit.
public struct LatencyValue: Value {
  /// The model.
  public internal(set) var model: LatencyModel

  /// Wraps a latency model.
  public init(model: LatencyModel) { self.model = model }

  public var type: ValueType { .latency }

  public var summary: String {
    "latency of \(model.model), batch \(model.batch), \(model.threads) thread(s): "
      + "\(model.layers.count) conv shape(s), measured "
      + NumberFormat.fixed(model.measuredSeconds * 1000, decimals: 2) + " ms per batch ("
      + NumberFormat.fixed(model.otherSeconds * 1000, decimals: 2)
      + " ms outside convolutions); \(model.environment.cpu)"
  }

  public var figures: Figures {
    Figures([
      ("model", .text(model.model)), ("batch", .count(model.batch)),
      ("threads", .count(model.threads)), ("shapes", .count(model.layers.count)),
      ("convs", .count(model.convs.count)),
    ])
  }

  public func archive() throws -> [UInt8] { try JSONCoding.encode(model) }

  /// Restores a model from its JSON, checking that it is whole (``Pruning/LatencyModel/checkStructure()``).
  public static func unarchive(_ bytes: [UInt8]) throws -> LatencyValue {
    let model = try JSONCoding.decode(LatencyModel.self, from: bytes, what: "Latency")
    do {
      try model.checkStructure()
    } catch {
      throw RuntimeError.unarchive(type: "Latency", problem: "\(error)")
    }
    return LatencyValue(model: model)
  }

  /// The shapes in the order the network first uses them.
  var orderedShapes: [LayerLatency] {
    var seen: Set<String> = []
    var result: [LayerLatency] = []
    for c in model.convs where !seen.contains(c.shape) {
      seen.insert(c.shape)
      if let l = model.layers[c.shape] { result.append(l) }
    }
    return result
  }

  /// One table per shape (ms per batch over the grid) and the chart of ``picture()``.
  public func details() -> [OutputItem] {
    var items: [OutputItem] = [.text(summary)]
    for note in model.notes ?? [] { items.append(.text("while profiling: " + note)) }
    for layer in orderedShapes {
      let uses = model.convs.filter { $0.shape == layer.shape.key }.count
      var table = Table(
        title: "\(layer.shape.key) — \(uses) conv(s); ms per batch, kept in ↓ × out →",
        columns: [.text("in \\ out")] + layer.outGrid.map { .numeric(String($0)) })
      for (i, ci) in layer.inGrid.enumerated() {
        table.addRow(
          [String(ci)] + layer.seconds[i].map { NumberFormat.fixed($0 * 1000, decimals: 3) })
      }
      items.append(.table(table))
    }
    if let p = try? picture() { items.append(.picture(p)) }
    return items
  }

  /// Per shape, the time at full input width over the kept output counts, relative to its
  /// full-width time (a line per shape, x = share of output channels kept).
  public func picture() throws -> Picture {
    let shapes = orderedShapes.filter { $0.outGrid.count > 1 }.prefix(6)
    guard let first = shapes.first else {
      throw RuntimeError.unsupported(
        command: "plot", problem: "the latency model has no shape with more than one grid point")
    }
    let xs = stride(from: 0.125, through: 1.0, by: 0.125).map { $0 }
    let series = shapes.map { l in
      let full = l.predict(
        inputs: l.shape.inChannels, outputs: l.shape.outChannels, block: model.block)
      return LineChart.Series(
        name: l.shape.key,
        values: xs.map { x in
          l.predict(
            inputs: l.shape.inChannels,
            outputs: max(1, Int((x * Double(l.shape.outChannels)).rounded())), block: model.block)
            / max(full, 1e-12)
        })
    }
    _ = first
    return .lineChart(
      try LineChart(
        title: "conv time vs output channels kept (full input width; 1 = full)", x: xs,
        series: Array(series), xLabel: "share of output channels kept", yLabel: "time / full"))
  }
}
