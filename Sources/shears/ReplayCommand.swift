import ArgumentParser
import CommandRuntime
import Foundation
import Notebook

/// `shears replay FILE [--verify] [--tolerance REL] [--from N]`: re-runs a recorded session's
/// inputs with its recorded seed and options, and with `--verify` checks every cell against
/// the record.
struct ReplayCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "replay",
    abstract: "Re-run a recorded session (a .json file or a journal), optionally verifying it.",
    discussion: """
      The cells run in order with the session's recorded seed, threads, convolution \
      algorithm and data limit, keeping their recorded numbers, so each draws the same random \
      bits. Cells that were interrupted when recorded run up to the statement that was \
      stopped. The session's blobs are checked first.

      --verify compares every cell with its record: the status, the result type, every \
      figure (counts, shapes, index sets, texts and hashes exactly; floats within \
      --tolerance, 0 = bit-identical), the hash of every binding, what the cell showed \
      (texts, tables and pictures; progress bars hold timings and are left out) and its \
      link in the session's hash chain, so an edit anywhere in the file is named. It stops at the first \
      cell that differs, naming the cell, the figure, and the recorded and new values.

      --from N restores the bindings held before cell N from the blobs and runs from there.

      A session may come from someone else: replay writes files only inside a scratch folder \
      (--scratch DIR, by default a new folder under $TMPDIR that is kept and named). A path a \
      cell writes is placed inside it (out/s.csv becomes DIR/out/s.csv, /etc/x becomes \
      DIR/etc/x, .. becomes __), and a file read back is taken from there first.

      Cells recorded with executor=slurm (blend, sensitivity) run their evaluations in this \
      process unless --executor recorded: where the work runs never changes a figure, and the \
      line that said which executor ran is left out of the comparison.

      Results depend on the seed and on the thread count: both are recorded in the session \
      and replay uses the recorded ones (a note says so when this machine has fewer cores).

      Exit status: 0 every cell ran (and matched, with --verify); 1 usage, or a file that \
      cannot be read; 3 (without --verify) a cell ended differently from its record; \
      4 --verify found a cell that differs; 5 the session is damaged: truncated or invalid \
      JSON, not a session, written by a newer Shears (a newer format), a blob missing or \
      changed, or a value that does not restore.

      Example: shears replay quickstart.json --verify
      """)

  @Argument(help: "The session file (or journal).")
  var file: String

  @Flag(
    help: "Compare every cell's figures and bindings with the record; stop at the first difference."
  )
  var verify = false

  @Option(
    help: ArgumentHelp(
      "Float figures match when |a - b| <= REL × max(1, |a|, |b|); 0 is bit-identical.",
      valueName: "REL"))
  var tolerance: Double = 0

  @Option(
    help: ArgumentHelp(
      "Restore the bindings held before cell N from the blobs and replay from N.",
      valueName: "N"))
  var from: Int = 1

  @Option(
    help: ArgumentHelp(
      "Where the files the session writes go (created; default: a new folder in $TMPDIR).",
      valueName: "DIR"))
  var scratch: String?

  @Option(
    help: ArgumentHelp(
      "Where evaluations of cells recorded with executor=slurm run: local (in this process, "
        + "the default: replay needs no cluster) or recorded (submit to Slurm again). The "
        + "executor never changes a figure.",
      valueName: "WHERE"))
  var executor: ReplayExecutor = .local

  @Flag(help: "Print each cell's input before its output.")
  var echo = false

  @Flag(help: "Print only warnings, errors and the verdict.")
  var quiet = false

  func validate() throws {
    guard tolerance >= 0, tolerance.isFinite else {
      throw ValidationError("--tolerance must be a number at least 0, e.g. 1e-6")
    }
    guard from >= 1 else { throw ValidationError("--from must be a cell number (from 1)") }
  }

  func run() throws {
    let loaded: SessionFile.Loaded
    do {
      loaded = try SessionFile.load(file)
      try loaded.blobs.verify(loaded.session)
    } catch {
      throw sessionFailure(error)
    }
    let session = loaded.session
    if loaded.droppedTornLine {
      Console.error("note: \(file) ended with a cell cut short; it was left out")
    }
    if verify {
      let here = EnvironmentFingerprint.current()
      let differences = session.header.environment.differences(from: here)
      if session.header.environment.numerics != here.numerics {
        // A different engine version computes some results differently on purpose (see
        // LibraryVersions.engineNumerics): more than a tolerance for last bits can cover.
        Console.error(
          "note: recorded by a build whose engine computes differently ("
            + differences.joined(separator: "; ")
            + "); what it computes differently since (training, pruned and vgg16 networks) "
            + "will not verify — replay without --verify shows this build's figures")
      } else if !differences.isEmpty {
        Console.error(
          "note: recorded elsewhere (" + differences.joined(separator: "; ")
            + "); floats may differ in their last bits — --tolerance 1e-5 allows that")
      }
    }
    // While verifying, the cells' own output is not shown: one line per cell is.
    let output = TerminalOutput.detect(quiet: quiet || verify)
    let folder = try makeScratchFolder()
    if !quiet {
      Console.error("note: files the session writes go inside \(folder), nowhere else")
    }
    let cores = ProcessInfo.processInfo.activeProcessorCount
    if session.header.options.threads > cores {
      Console.error(
        "note: the session was recorded with \(session.header.options.threads) threads and "
          + "replays with as many (results depend on the count); this machine has \(cores) "
          + "cores, so it runs slower")
    }
    var options = session.header.options.runtimeOptions
    options.scratchFolder = folder
    if executor == .local { options.executor = .local }
    let runtime: Runtime
    do {
      runtime = try Runtime(options: options, output: output)
    } catch {
      Console.error("error: cannot start the engine: \(error)")
      throw ExitCode(ExitStatus.usage)
    }
    let replayer = Replayer(session: session, blobs: loaded.blobs)
    let report: Replayer.Report
    do {
      report = try replayer.run(
        on: runtime, from: from, verify: verify, tolerance: tolerance,
        observe: { event in self.show(event, output: output) })
    } catch {
      throw sessionFailure(error)
    }
    for warning in report.warnings { Console.error("warning: \(warning)") }
    try finish(report, session: session)
  }

  /// The scratch folder: `--scratch` (created when missing), else a new one in `$TMPDIR`.
  private func makeScratchFolder() throws -> String {
    if let scratch {
      do {
        try FileManager.default.createDirectory(
          atPath: scratch, withIntermediateDirectories: true)
      } catch {
        Console.error("error: cannot create the scratch folder \(scratch): \(error)")
        throw ExitCode(ExitStatus.usage)
      }
      return URL(fileURLWithPath: scratch).standardizedFileURL.path
    }
    let base = ProcessInfo.processInfo.environment["TMPDIR"] ?? "/tmp"
    var template = Array((base + "/shears-replay-XXXXXX").utf8CString)
    guard let made = mkdtemp(&template) else {
      Console.error("error: cannot create a scratch folder in \(base)")
      throw ExitCode(ExitStatus.usage)
    }
    return String(cString: made)
  }

  /// Shows one cell of the replay.
  private func show(_ event: Replayer.Event, output: TerminalOutput) {
    switch event {
    case .starting(let cell):
      if echo && !verify && !quiet {
        let lines = cell.input.split(separator: "\n", omittingEmptySubsequences: false)
        for (index, line) in lines.enumerated() {
          Console.line((index == 0 ? Repl.prompt : Repl.continuationPrompt) + line)
        }
      }
    case .finished(let cell, let outcome, let divergence):
      output.finishProgressLine()
      guard verify else {
        if case .error(_, let message) = outcome.status {
          Console.error("\(file): cell \(cell.number): error: \(message)")
        }
        return
      }
      if divergence == nil && !quiet {
        let figures = cell.figures.count
        Console.line(
          "cell \(cell.number) matches (\(cell.statusSummary), \(figures) "
            + "figure\(figures == 1 ? "" : "s")): \(firstLine(cell.input))")
      }
    }
  }

  /// Prints the verdict and exits with its status.
  private func finish(_ report: Replayer.Report, session: Session) throws {
    if let divergence = report.divergence {
      Console.error(divergence.description)
      let matched = report.ran - 1
      Console.error(
        "\(file): replay stopped at cell \(divergence.cell); \(matched) cell"
          + "\(matched == 1 ? "" : "s") before it matched")
      throw ExitCode(ExitStatus.verifyMismatch)
    }
    if verify {
      let how = tolerance == 0 ? "bit-identical" : "floats within relative tolerance \(tolerance)"
      Console.line(
        "\(file): verified \(report.ran) cell\(report.ran == 1 ? "" : "s")"
          + (report.interrupted > 0
            ? " (\(report.interrupted) run up to where they were interrupted)" : "")
          + ": every figure and binding matches (\(how))")
      return
    }
    if !report.statusChanges.isEmpty {
      let cells = report.statusChanges.map(String.init).joined(separator: ", ")
      Console.error("\(file): cells \(cells) ended differently from their record")
      throw ExitCode(ExitStatus.runtimeError)
    }
  }

  private func firstLine(_ text: String) -> String {
    let line = text.split(separator: "\n", omittingEmptySubsequences: false).first ?? ""
    return line.count < text.count ? line + " …" : String(line)
  }
}

/// `replay --executor`: in process, or as recorded.
enum ReplayExecutor: String, ExpressibleByArgument {
  /// Every evaluation in this process.
  case local
  /// Cells run where they say (`executor=slurm` submits again).
  case recorded
}
