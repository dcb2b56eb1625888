import CommandRuntime
import Render

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

  /// Compares what a recorded cell showed with what its replay showed.
  ///
  /// First the record must agree with itself: its rendered text must be exactly what its
  /// outputs draw in `style` (the session's record style), followed by the note its status
  /// gives (an error message, or the interrupt line). Then every recorded text, warning,
  /// table and picture must equal the replayed one, in order; finished progress bars and
  /// measured timings (table columns `ms`, `images/s`, rows `images/s …` and `prediction
  /// error`, and `speed ×0.91`, `1234 img/s`, `2.5 ms` in texts) are left out because they
  /// change from run to run, and so is the line saying which executor ran (`executor: …`),
  /// which replay may change. With `replayed` nil (a cell that was interrupted, whose partial
  /// output depends on timing) only the first check is made.
  ///
  /// - Returns: the first difference, or nil when the replay showed the same.
  public static func firstShown(
    recorded: SessionCell, replayed: [CellOutput]?, style: TerminalStyle
  ) -> Divergence? {
    func differ(_ subject: String, _ a: String, _ b: String) -> Divergence {
      Divergence(
        cell: recorded.number, input: recorded.input, subject: subject, recorded: a, replayed: b)
    }
    if let problem = renderedTextProblem(recorded, style: style) {
      return differ("rendered text", problem.recorded, problem.drawn)
    }
    guard let replayed else { return nil }
    let old = recorded.outputs.compactMap(comparable)
    let new = replayed.compactMap(comparable)
    for (index, pair) in zip(old, new).enumerated() where pair.0 != pair.1 {
      return differ("shown output \(index + 1)", summary(pair.0), summary(pair.1))
    }
    if old.count != new.count {
      return differ(
        "shown outputs", "\(old.count) item\(old.count == 1 ? "" : "s")",
        "\(new.count) item\(new.count == 1 ? "" : "s")")
    }
    return nil
  }

  /// Where a cell's rendered text differs from what its own outputs and status draw.
  static func renderedTextProblem(_ cell: SessionCell, style: TerminalStyle)
    -> (recorded: String, drawn: String)?
  {
    var drawn = cell.outputs.map { $0.render(style: style) }
    switch cell.outcomeStatus {
    case .ok: break
    case .error(.check, let message): drawn.append(message)
    case .error(.runtime, let message): drawn.append("error: " + message)
    case .interrupted:
      // "interrupted: train stopped; nothing was bound": the command's name is not recorded.
      let lines = cell.renderedText.split(separator: "\n", omittingEmptySubsequences: false)
      if let last = lines.last, last.hasPrefix("interrupted: "),
        last.hasSuffix(" stopped; nothing was bound")
      {
        drawn.append(String(last))
      } else {
        drawn.append("interrupted: … stopped; nothing was bound")
      }
    }
    let expected = drawn.joined(separator: "\n")
    guard expected != cell.renderedText else { return nil }
    let a = cell.renderedText.split(separator: "\n", omittingEmptySubsequences: false)
    let b = expected.split(separator: "\n", omittingEmptySubsequences: false)
    for (index, pair) in zip(a, b).enumerated() where pair.0 != pair.1 {
      return ("line \(index + 1) \"\(pair.0)\"", "\"\(pair.1)\" from its outputs")
    }
    return ("\(a.count) lines", "\(b.count) lines from its outputs")
  }

  /// The output as compared with its replay: progress bars left out, measured timings masked.
  static func comparable(_ output: CellOutput) -> CellOutput? {
    switch output {
    case .progress: return nil
    case .table(var table):
      let timed = Set(
        table.columns.indices.filter { timingHeaders.contains(table.columns[$0].header) })
      for row in table.rows.indices {
        let timingRow =
          table.rows[row].first.map { first in
            timingRowPrefixes.contains { first.hasPrefix($0) }
          } ?? false
        for column in table.rows[row].indices
        where timed.contains(column) || (timingRow && column > 1) {
          table.rows[row][column] = "(timing)"
        }
      }
      return .table(table)
    case .text(let text):
      // Which executor ran (`executor: slurm — …`) says where, never what: left out.
      if text.hasPrefix("executor: ") { return nil }
      return .text(maskTimings(text))
    default: return output
    }
  }

  /// `text` with measured speeds masked: the number in `speed ×0.91`, and a number followed by
  /// `img/s`, `images/s` or `ms` (`1234 img/s`, `2.5 ms`) becomes `(timing)`.
  static func maskTimings(_ text: String) -> String {
    let characters = Array(text)
    var result = ""
    var index = 0
    func isNumeric(_ c: Character) -> Bool { c.isASCII && (c.isNumber || c == "." || c == ",") }
    while index < characters.count {
      guard characters[index].isASCII, characters[index].isNumber else {
        result.append(characters[index])
        index += 1
        continue
      }
      var end = index
      while end < characters.count, isNumeric(characters[end]) { end += 1 }
      var unit = end
      if unit < characters.count, characters[unit] == " " { unit += 1 }
      let rest = String(characters[unit..<min(characters.count, unit + 9)])
      let timed =
        result.hasSuffix("speed ×")
        || ["img/s", "images/s", "ms"].contains { name in
          rest.hasPrefix(name)
            && (unit + name.count == characters.count || !characters[unit + name.count].isLetter)
        }
      result += timed ? "(timing)" : String(characters[index..<end])
      index = end
    }
    return result
  }

  /// Table rows (by their first cell) whose values past the second column are measured rates,
  /// or computed from them (`compare`'s `prediction error`: predicted / measured − 1).
  static let timingRowPrefixes = ["images/s", "prediction error"]

  /// Table headers whose values are measured times or rates.
  static let timingHeaders: Set<String> = ["ms", "images/s", "img/s", "s", "seconds", "time"]

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
