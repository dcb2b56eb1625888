import CommandLanguage
import DurableIO
import Foundation
import Pruning

extension CommandDefinition {
  /// `write s to "scores.csv"`: scores, similarity, plans and other results as CSV or JSON, so
  /// anyone can check them outside Shears.
  public static let write = CommandDefinition(
    CommandSignature(
      name: "write",
      parameters: [
        ParameterSpec(
          "value", .any, summary: "Scores, Similarity, CWDA, Plan, Sensitivity or Comparison"),
        ParameterSpec(
          "path", .text, .preposition("to"),
          summary: "the file (written atomically); .csv or .json picks the format"),
        ParameterSpec(
          "format", .text, .keyword, default: .optional, symbols: ["csv", "json"],
          summary: "csv or json when the file name does not say"),
        ParameterSpec(
          "overwrite", .bool, .keyword, default: .value(.bool(false)),
          summary: "replace the file when it exists (otherwise that is an error)"),
      ],
      result: .nothing,
      summary: "Write scores, similarity matrices, plans or reports as CSV or JSON files.",
      example: "write s to \"scores.csv\""),
    group: .data
  ) { arguments, context in
    guard let value = arguments.value("value") else {
      throw RuntimeError.invalidArgument(command: "write", name: "value", problem: "missing")
    }
    let path = try arguments.text("path")
    let format =
      try arguments.optionalText("format")
      ?? (path.lowercased().hasSuffix(".csv")
        ? "csv" : path.lowercased().hasSuffix(".json") ? "json" : "")
    guard format == "csv" || format == "json" else {
      throw RuntimeError.invalidArgument(
        command: "write", name: "format",
        problem: "cannot tell the format of '\(path)'; end it in .csv or .json, or add format=csv")
    }
    let text: String
    switch (value, format) {
    case (let s as ScoresValue, "csv"): text = try AnalysisCSV.scores([s.scores])
    case (let s as ScoresValue, _): text = try json(s.scores)
    case (let s as SimilarityValue, "csv"): text = AnalysisCSV.similarity(s.similarity)
    case (let s as SimilarityValue, _): text = try json(s.similarity)
    case (let c as CWDAValue, "csv"): text = AnalysisCSV.cwda(c.analysis)
    case (let c as CWDAValue, _): text = try json(c.analysis)
    case (let p as PlanValue, "json"): text = try json(p.plan)
    case (let s as SensitivityValue, "json"): text = try json(s.report)
    case (let r as ComparisonValue, "json"): text = try json(r.comparison)
    default:
      throw RuntimeError.unsupported(
        command: "write",
        problem: "\(value.type.withArticle) cannot be written as \(format); CSV takes Scores, "
          + "Similarity or CWDA, JSON also Plan, Sensitivity and Comparison")
    }
    let overwrite = try arguments.bool("overwrite")
    let target = try FileTargets.writing(
      path, overwrite: overwrite, command: "write", scratch: context.options.scratchFolder)
    do {
      try DurableFile.write(text, to: target, ifExists: overwrite ? .replace : .refuse)
    } catch DurableFileError.alreadyExists {
      // It appeared while the file was being written.
      throw FileTargets.exists(path, command: "write")
    }
    context.emit(.text("wrote \(value.type) as \(format) to \(path)"))
    return nil
  }

  private static func json<T: Encodable>(_ value: T) throws -> String {
    String(decoding: try AnalysisJSON.encode(value), as: UTF8.self)
  }
}
