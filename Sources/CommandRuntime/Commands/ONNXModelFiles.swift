import Datasets
import DurableIO
import Foundation
import NeuralNet
import ONNX
import Render

/// `save … to "m.onnx"` and `load "m.onnx"`: the ONNX halves of the `save` and `load` commands.
///
/// Export: the normalisation put into the graph (with `preprocess=true`) is the data set's
/// (`data=d`), else the one an ONNX import found; class names likewise. Provenance
/// (`shears.history`, `shears.engine`, `shears.plan` — the content hash of the plan that pruned
/// it —, the network fingerprint) goes into `metadata_props`.
/// Import: the file's normalisation and class names are kept in the model's metadata so that a
/// re-export puts them back.
enum ONNXModelFiles {
  /// Metadata keys on ``ModelValue`` that carry what an ONNX import found.
  enum Key {
    static let normalizationMean = ONNXFormat.Key.normalizationMean
    static let normalizationStd = ONNXFormat.Key.normalizationStd
    static let classNames = ONNXFormat.Key.classNames
  }

  /// Writes `model` as ONNX to `path` (atomically) and returns the line to show.
  static func save(
    _ model: ModelValue, to path: String, data: DatasetValue?, preprocess: Bool,
    context: CommandContext
  ) throws -> String {
    var normalization: ChannelStatistics? = nil
    if preprocess {
      if let data {
        normalization = data.dataset.normalization
        if normalization == nil {
          context.warn(
            "\(data.dataset.name) is not normalised, so the graph takes its images as they are")
        }
      } else if let stats = storedNormalization(model.metadata) {
        normalization = stats
      } else {
        context.warn(
          "no normalisation known (give the data set: data=d), so the file takes inputs "
            + "normalised as the network was trained, not raw images")
      }
    }
    var classNames = data?.dataset.classNames
    if classNames == nil, let json = model.metadata[Key.classNames],
      let names = try? JSONDecoder().decode([String].self, from: Data(json.utf8)),
      names.count == model.network.classes
    {
      classNames = names
    }
    var provenance: [String: String] = [
      "shears.engine": ONNXFormat.engineVersion, "shears.cell": String(context.cell),
    ]
    if let history = model.metadata["history"] { provenance["shears.history"] = history }
    if let plan = model.metadata[ModelValue.planKey] { provenance["shears.plan"] = plan }
    let options = ONNXExportOptions(
      normalization: normalization, classNames: classNames, provenance: provenance)
    let bytes = try ONNXExporter.encode(model.network, options: options)
    try DurableFile.write(bytes, to: path)
    let input =
      normalization == nil
      ? "takes normalised inputs" : "takes raw [0, 1] images (normalisation in the graph)"
    return "saved \(model.network.name) as ONNX (opset \(ONNXFormat.opsetVersion), "
      + "\(NumberFormat.grouped(model.network.parameterCount)) params, \(input)) to \(path)"
  }

  /// Reads the ONNX model at `path`; shows what it found (normalisation, folded batch norm).
  static func load(_ path: String, context: CommandContext) throws -> ModelValue {
    let imported = try ONNXImporter.load(from: path)
    var metadata: [String: String] = [:]
    if let history = imported.metadata["shears.history"], !history.isEmpty {
      metadata["history"] = history
    }
    if let plan = imported.metadata["shears.plan"] { metadata[ModelValue.planKey] = plan }
    if let stats = imported.normalization {
      metadata[Key.normalizationMean] = stats.mean.map { "\($0)" }.joined(separator: ",")
      metadata[Key.normalizationStd] = stats.std.map { "\($0)" }.joined(separator: ",")
      context.emit(
        .text(
          "the graph normalised its input (mean \(format(stats.mean)), std \(format(stats.std))); "
            + "Shears' copy takes normalised images, as `data` gives them"))
    }
    if let names = imported.classNames,
      let json = try? JSONEncoder().encode(names)
    {
      metadata[Key.classNames] = String(decoding: json, as: UTF8.self)
    }
    if imported.batchNormFolded {
      context.warn(
        "the exporter folded batch norm into the convolutions: BN-based criteria (bn) have "
          + "nothing to score; weight and data criteria work")
    }
    return ModelValue(network: imported.network, metadata: metadata).adding(
      history: "load \(path) (ONNX from \(imported.producer))")
  }

  /// The normalisation an ONNX import recorded in `metadata`, if any.
  static func storedNormalization(_ metadata: [String: String]) -> ChannelStatistics? {
    guard let m = metadata[Key.normalizationMean], let s = metadata[Key.normalizationStd] else {
      return nil
    }
    let mean = m.split(separator: ",").compactMap { Double($0) }
    let std = s.split(separator: ",").compactMap { Double($0) }
    guard !mean.isEmpty, mean.count == std.count else { return nil }
    return ChannelStatistics(mean: mean, std: std)
  }

  private static func format(_ values: [Double]) -> String {
    values.map { Figure.format($0) }.joined(separator: "/")
  }
}
