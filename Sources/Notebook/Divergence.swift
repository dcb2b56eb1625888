import CommandRuntime

/// The first difference between a recorded cell and its replay: the cell, the thing that
/// differs (the status, the result type, a figure, a binding's hash), and both values.
///
/// ```
/// cell 5 diverges: eval m on d
///   figure accuracy: recorded 0.168, replayed 0.171875
/// ```
public struct Divergence: Hashable, Sendable, CustomStringConvertible {
  /// The cell number.
  public var cell: Int
  /// The cell's input.
  public var input: String
  /// What differs: `status`, `result type`, `figure accuracy`, `binding m`.
  public internal(set) var subject: String
  /// The recorded value, as text.
  public internal(set) var recorded: String
  /// The replayed value, as text.
  public internal(set) var replayed: String

  /// Creates a divergence.
  public init(cell: Int, input: String, subject: String, recorded: String, replayed: String) {
    self.cell = cell
    self.input = input
    self.subject = subject
    self.recorded = recorded
    self.replayed = replayed
  }

  /// Two lines: the cell and its input, then what differs with both values.
  public var description: String {
    let shown = input.split(separator: "\n", omittingEmptySubsequences: false)
      .joined(separator: "\n    ")
    return
      "cell \(cell) diverges: \(shown)\n  \(subject): recorded \(recorded), replayed \(replayed)"
  }

  /// Compares a recorded cell with its replay: status, result type, every figure (floats
  /// within `tolerance`, see ``CommandRuntime/Figure/matches(_:tolerance:)``; every other
  /// kind exactly; a figure missing on either side differs), then every binding's hash.
  ///
  /// - Returns: the first difference, or nil when the replay matches.
  public static func first(
    recorded: SessionCell, replayed: CellOutcome, tolerance: Double
  ) -> Divergence? {
    func differ(_ subject: String, _ a: String, _ b: String) -> Divergence {
      Divergence(
        cell: recorded.number, input: recorded.input, subject: subject, recorded: a, replayed: b)
    }
    let replayedCell = SessionCell(replayed)
    if recorded.statusSummary != replayedCell.statusSummary {
      return differ(
        "status", describe(recorded.statusSummary, recorded.error),
        describe(replayedCell.statusSummary, replayedCell.error))
    }
    if recorded.resultType != replayed.resultType {
      return differ("result type", recorded.resultType, replayed.resultType)
    }
    for entry in recorded.figures {
      guard let new = replayed.figures[entry.name] else {
        return differ("figure \(entry.name)", exact(entry.value), "(no such figure)")
      }
      if !entry.value.matches(new, tolerance: tolerance) {
        return differ("figure \(entry.name)", exact(entry.value), exact(new))
      }
    }
    for entry in replayed.figures where recorded.figures[entry.name] == nil {
      return differ("figure \(entry.name)", "(no such figure)", exact(entry.value))
    }
    let names = Set(recorded.bindingHashes.keys).union(replayed.bindingHashes.keys).sorted()
    for name in names where recorded.bindingHashes[name] != replayed.bindingHashes[name] {
      return differ(
        "binding \(name)", recorded.bindingHashes[name].map { "#" + $0 } ?? "(not bound)",
        replayed.bindingHashes[name].map { "#" + $0 } ?? "(not bound)")
    }
    return nil
  }

  /// Compares what a recorded cell showed with what its replay showed: every text, warning,
  /// table and picture in order (finished progress bars hold timings and are left out), and
  /// the rendered text with those progress lines removed.
  ///
  /// - Returns: the first difference, or nil when the replay showed the same.
  public static func firstShown(
    recorded: SessionCell, replayed: [CellOutput], replayedText: String
  ) -> Divergence? {
    func differ(_ subject: String, _ a: String, _ b: String) -> Divergence {
      Divergence(
        cell: recorded.number, input: recorded.input, subject: subject, recorded: a, replayed: b)
    }
    let old = recorded.outputs.filter {
      if case .progress = $0 { return false } else { return true }
    }
    let new = replayed.filter { if case .progress = $0 { return false } else { return true } }
    for (index, pair) in zip(old, new).enumerated() where pair.0 != pair.1 {
      return differ("shown output \(index + 1)", summary(pair.0), summary(pair.1))
    }
    if old.count != new.count {
      return differ(
        "shown outputs", "\(old.count) item\(old.count == 1 ? "" : "s")",
        "\(new.count) item\(new.count == 1 ? "" : "s")")
    }
    let recordedText = withoutProgress(recorded.renderedText, recorded.outputs)
    let replayedText = withoutProgress(replayedText, replayed)
    for (index, pair) in zip(recordedText, replayedText).enumerated() where pair.0 != pair.1 {
      return differ("rendered text line \(index + 1)", "\"\(pair.0)\"", "\"\(pair.1)\"")
    }
    if recordedText.count != replayedText.count {
      return differ(
        "rendered text", "\(recordedText.count) lines", "\(replayedText.count) lines")
    }
    return nil
  }

  /// The lines of `text` that are not lines of a finished progress bar in `outputs`.
  private static func withoutProgress(_ text: String, _ outputs: [CellOutput]) -> [Substring] {
    var progress: Set<Substring> = []
    for case .progress(let line) in outputs {
      progress.formUnion(line.split(separator: "\n"))
    }
    return text.split(separator: "\n", omittingEmptySubsequences: false)
      .filter { !progress.contains($0) }
  }

  private static func summary(_ output: CellOutput) -> String {
    let text: String
    switch output {
    case .text(let value): text = "text \"\(value)\""
    case .warning(let value): text = "warning \"\(value)\""
    case .progress(let value): text = "progress \"\(value)\""
    case .table(let table):
      text =
        "table \(table.title.map { "\"\($0)\" " } ?? "")\(table.rows.count) rows: "
        + table.rows.map { $0.joined(separator: " | ") }.joined(separator: "; ")
    case .picture(let picture): text = "\(picture.kind) picture of \(picture.svg.count) bytes"
    }
    return text.count > 300 ? String(text.prefix(300)) + "…" : text
  }

  /// A figure with every digit of a float (the shortest text that reads back the same
  /// number), so that values differing in the last bit show different text.
  static func exact(_ figure: Figure) -> String {
    if case .float(let value) = figure, value.isFinite { return "\(value)" }
    return figure.description
  }

  private static func describe(_ status: String, _ failure: SessionCell.Failure?) -> String {
    guard let failure else { return status }
    let firstLine = failure.message.split(separator: "\n").first.map(String.init) ?? ""
    return "\(status) (\(firstLine))"
  }
}
