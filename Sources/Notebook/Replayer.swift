import CommandRuntime

/// Re-runs a session's inputs on a runtime made with its recorded options (and so its seed),
/// in order and with the recorded cell numbers, and optionally verifies every cell against
/// its record, stopping at the first divergence.
///
/// Cells that were interrupted when recorded are skipped (they bound nothing, and where they
/// stopped depended on timing); their numbers are kept so later cells draw the same random
/// bits. `from` restores the bindings held before that cell from the blobs, then runs from it.
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
    /// The cell was not run, and why.
    case skipped(SessionCell, reason: String)
  }

  /// How a replay went.
  public struct Report: Sendable {
    /// Cells run.
    public internal(set) var ran = 0
    /// Cells skipped (interrupted when recorded).
    public var skipped = 0
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
    for cell in session.cells where cell.number >= from {
      if cell.status == "interrupted" {
        runtime.continueNumbering(after: cell.number)
        report.skipped += 1
        observe(.skipped(cell, reason: "it was interrupted when recorded"))
        continue
      }
      runtime.continueNumbering(after: cell.number - 1)
      observe(.starting(cell))
      let outcome = runtime.execute(cell.input)
      report.ran += 1
      if verify {
        let divergence = Divergence.first(
          recorded: cell, replayed: outcome, tolerance: tolerance)
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
    }
    return report
  }
}
