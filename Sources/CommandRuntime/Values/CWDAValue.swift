import CommandLanguage
import Pruning
import Render

/// The CWDA test battery over a model's conv layers (``Pruning/CWDAAnalysis``): are the
/// filters of each layer close to i.i.d. Gaussian, as "Rethinking the pruning criteria" assumes?
///
/// Archive: JSON. Figures: `layers`, `skipped`, and per family the fraction of layers where it
/// is mostly not rejected (`fraction.mean-zero`, `fraction.shapiro-coordinates`,
/// `fraction.shapiro-pooled`, `fraction.dagostino-pooled`, `fraction.ks-projections`).
public struct CWDAValue: Value {
  /// The analysis.
  public internal(set) var analysis: CWDAAnalysis
  /// The model's name.
  public var model: String

  /// Wraps an analysis of `model`.
  public init(analysis: CWDAAnalysis, model: String) {
    self.analysis = analysis
    self.model = model
  }

  public var type: ValueType { .cwda }

  var families: [(String, CWDAAnalysis.Family)] {
    let s = analysis.summary
    return [
      ("mean-zero", s.meanZero), ("shapiro-coordinates", s.coordinateShapiroWilk),
      ("shapiro-pooled", s.pooledShapiroWilk), ("dagostino-pooled", s.pooledDAgostino),
      ("ks-projections", s.projections),
    ]
  }

  public var summary: String {
    "CWDA tests on \(analysis.layers.count) conv layers of \(model)"
      + (analysis.skipped.isEmpty ? "" : " (\(analysis.skipped.count) skipped)")
  }

  public var figures: Figures {
    var f = Figures([
      ("layers", .count(analysis.layers.count)), ("skipped", .count(analysis.skipped.count)),
    ])
    for (name, family) in families { f.append("fraction.\(name)", .float(family.fraction ?? .nan)) }
    return f
  }

  private struct Stored: Codable {
    var analysis: CWDAAnalysis
    var model: String
  }

  public func archive() throws -> [UInt8] {
    try JSONCoding.encode(Stored(analysis: analysis, model: model))
  }

  /// Restores an analysis from its JSON.
  public static func unarchive(_ bytes: [UInt8]) throws -> CWDAValue {
    let s = try JSONCoding.decode(Stored.self, from: bytes, what: "CWDA")
    return CWDAValue(analysis: s.analysis, model: s.model)
  }

  /// A per-layer table (each figure next to its value under CWDA) and the summary per family.
  public func details() -> [OutputItem] {
    var layers = Table(
      title: summary,
      columns: [
        .text("layer"), .numeric("N×k"), .numeric("mean≠0"), .numeric("offdiag (CWDA)"),
        .numeric("SW coords ok"), .numeric("K² p"), .numeric("KS proj ok"),
      ])
    for layer in analysis.layers {
      let r = layer.report
      layers.addRow([
        layer.name, "\(r.filters)×\(r.dimension)",
        NumberFormat.percent(r.meanRejectedFraction, decimals: 0),
        NumberFormat.fixed(r.offDiagonalRatio, decimals: 3) + " ("
          + NumberFormat.fixed(r.offDiagonalRatioUnderCWDA, decimals: 3) + ")",
        r.shapiroWilkNotRejectedFraction.map { NumberFormat.percent($0, decimals: 0) } ?? "n/a",
        r.pooledDAgostino.map { NumberFormat.short($0.pValue) } ?? "n/a",
        r.projectionNotRejectedFraction.map { NumberFormat.percent($0, decimals: 0) } ?? "n/a",
      ])
    }
    var summaryTable = Table(
      title: "layers where each family of tests is mostly not rejected (α = 0.05)",
      columns: [
        .text("family"), .numeric("layers"), .numeric("not rejected"), .numeric("fraction"),
      ])
    for (name, family) in families {
      summaryTable.addRow([
        name, String(family.layersTested), String(family.layersMostlyNotRejected),
        family.fraction.map { NumberFormat.percent($0, decimals: 0) } ?? "n/a",
      ])
    }
    return [.table(layers), .table(summaryTable)]
  }
}
