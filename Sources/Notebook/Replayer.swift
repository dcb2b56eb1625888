import CommandRuntime

/// Re-runs a session's inputs on a runtime made with its recorded options (and so its seed),
/// in order and with the recorded cell numbers, and optionally verifies every cell against
/// its record, stopping at the first divergence.
///
/// Verifying compares, for each cell: its status, result type, figures and binding hashes
/// (see ``Divergence``); what it showed (every text, warning, table and picture, in order;
/// finished progress bars and interrupted cells' outputs are left out because they hold
/// timings); and its link in the session's hash chain (``SessionChain``), so that an edit to
/// anything recorded is named.
///
/// Cells that were interrupted when recorded are run up to the statement that was stopped
/// (`stoppedAt`) and stop there, so the bindings of their earlier statements come back and a
/// forged figure in them is caught. `from` restores the bindings held before that cell from
/// the blobs, then runs from it. Commands that measure the machine (`profile`) get back what
/// the cell recorded (``CommandRuntime/RecordedMeasurement``) instead of measuring again, so
/// what depends on the measurement (a `target=latency` plan) replays bit for bit; a cell
/// recorded before measurements were kept measures again, with a warning.
///
/// ```swift
/// let loaded = try SessionFile.load("lesson.json")
/// let runtime = try Runtime(options: loaded.session.header.options.runtimeOptions)
/// let report = try Replayer(session: loaded.session, blobs: loaded.blobs)
///   .run(on: runtime, verify: true, tolerance: 0)
/// report.divergence  // nil when every figure matched
/// ```
public struct Replayer {
  /// What happened to one cell.
  public enum Event {
    /// The cell is about to run.
    case starting(SessionCell)
    /// The cell ran; `divergence` is set when verifying found a difference.
    case finished(SessionCell, CellOutcome, divergence: Divergence?)
  }

  /// How a replay went.
  public struct Report: Sendable {
    /// Cells run.
    public internal(set) var ran = 0
    /// Cells that were interrupted when recorded (run up to where they stopped).
    public internal(set) var interrupted = 0
    /// Cells whose status differs from the record (an error now where it ran then, or
    /// the reverse), when not verifying.
    public internal(set) var statusChanges: [Int] = []
    /// The first divergence, when verifying (the replay stopped there).
    public var divergence: Divergence?
    /// Warnings from restoring bindings for `from`.
    public internal(set) var warnings: [String] = []
  }

  /// The session.
  public var session: Session
  /// Its blob folder (needed for `from` above 1).
  public internal(set) var blobs: BlobStore

  /// A replayer of `session` with its blobs.
  public init(session: Session, blobs: BlobStore) {
    self.session = session
    self.blobs = blobs
  }

  /// Replays the cells numbered `from` and later on `runtime`.
  ///
  /// - Parameters:
  ///   - runtime: a fresh runtime made with the session's options.
  ///   - from: the first cell to run; the bindings before it are restored from blobs.
  ///   - verify: compare each cell with its record and stop at the first difference.
  ///   - tolerance: the relative tolerance for float figures (0: bit-identical).
  ///   - observe: called for every cell.
  /// - Throws: ``NotebookError`` when `from` is not a cell or a blob it needs is bad.
  public func run(
    on runtime: Runtime, from: Int = 1, verify: Bool, tolerance: Double = 0,
    observe: (Event) -> Void = { _ in }
  ) throws -> Report {
    var report = Report()
    if from != 1 {
      guard session.cell(from) != nil else {
        throw NotebookError.noSuchCell(number: from, count: session.lastNumber)
      }
      report.warnings = try BindingRestorer.restore(
        session, before: from, into: runtime, blobs: blobs)
    }
    let capture = CapturingSink(
      forwardingTo: runtime.output, style: runtime.options.recordStyle)
    let shown = runtime.output
    runtime.output = capture
    defer { runtime.output = shown }
    var previousLink: String? = nil
    for cell in session.cells where cell.number < from { previousLink = cell.chain }
    for cell in session.cells where cell.number >= from {
      if cell.isText {
        // Narration runs nothing; verifying checks only that it was not edited.
        runtime.continueNumbering(after: cell.number)
        if verify {
          let link = SessionChain.link(cell, after: previousLink, header: session.header)
          if link != cell.chain {
            report.divergence = Divergence(
              cell: cell.number, input: cell.input, subject: "record",
              recorded: "chain link \(cell.chain ?? "(none)")",
              replayed: "\(link) from its content: the narration was edited after it was recorded")
            return report
          }
        }
        previousLink = cell.chain
        continue
      }
      runtime.continueNumbering(after: cell.number - 1)
      observe(.starting(cell))
      _ = capture.take()
      let interrupted = cell.status == "interrupted"
      let outcome = runtime.execute(
        cell.input, stopBefore: interrupted ? (cell.stoppedAt ?? 0) : nil,
        earlyStops: cell.earlyStops, measurements: cell.measurements)
      let outputs = capture.take()
      report.ran += 1
      if verify {
        var divergence = Divergence.first(
          recorded: cell, replayed: outcome, tolerance: tolerance)
        if divergence == nil {
          divergence = Divergence.firstShown(
            recorded: cell, replayed: interrupted ? nil : outputs,
            style: runtime.options.recordStyle)
        }
        if divergence == nil {
          let link = SessionChain.link(cell, after: previousLink, header: session.header)
          if link != cell.chain {
            divergence = Divergence(
              cell: cell.number, input: cell.input, subject: "record",
              recorded: "chain link \(cell.chain ?? "(none)")",
              replayed: "\(link) from its content: the cell was edited after it was recorded")
          }
        }
        observe(.finished(cell, outcome, divergence: divergence))
        if let divergence {
          report.divergence = divergence
          return report
        }
      } else {
        if SessionCell(outcome).statusSummary != cell.statusSummary {
          report.statusChanges.append(cell.number)
        }
        observe(.finished(cell, outcome, divergence: nil))
      }
      if interrupted { report.interrupted += 1 }
      previousLink = cell.chain
    }
    return report
  }
}
