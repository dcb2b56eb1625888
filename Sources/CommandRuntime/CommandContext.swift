import Render
import TensorCore

/// What a running command may use: the compute context, this statement's random generator,
/// the data loader, the runtime's options, output, and the interrupt flag.
///
/// Randomness: ``rng`` is the statement's generator (see ``Runtime``); a command takes named
/// children of it (`context.rng.derived("train")`) so its draws do not depend on other
/// commands. Output goes through ``emit(_:)`` and ``progress(_:)``; long work polls
/// ``shouldStop`` and throws ``RuntimeError/interrupted(command:)`` when it is set.
public final class CommandContext {
  /// The command being run.
  public let command: String
  /// Where kernels run.
  public let compute: ComputeContext
  /// This statement's generator; take children of it with `derived(_:)`.
  public let rng: SeededRNG
  /// The runtime's settings.
  public let options: RuntimeOptions
  /// Loads and caches data sets.
  public let loader: DatasetLoader
  /// The number of the session cell running this command (from 1), for provenance such as
  /// the `shears.cell` entry of an exported ONNX file.
  public let cell: Int
  private let recorder: CellRecorder
  private let stop: () -> Bool

  init(
    command: String, compute: ComputeContext, rng: SeededRNG, options: RuntimeOptions,
    loader: DatasetLoader, cell: Int, recorder: CellRecorder, stop: @escaping () -> Bool
  ) {
    self.command = command
    self.compute = compute
    self.rng = rng
    self.options = options
    self.loader = loader
    self.cell = cell
    self.recorder = recorder
    self.stop = stop
  }

  /// Whether the user asked to stop (Ctrl-C); poll it between steps of long work.
  public var shouldStop: Bool { stop() }

  /// Throws ``RuntimeError/interrupted(command:)`` when the user asked to stop.
  func checkInterrupt() throws {
    if stop() { throw RuntimeError.interrupted(command: command) }
  }

  /// Shows an item and records its plain rendering in the cell.
  public func emit(_ item: OutputItem) { recorder.emit(item) }

  /// Shows a warning (`warning: …`).
  func warn(_ message: String) { recorder.emit(.warning(message)) }

  /// Shows or redraws a progress bar; finished bars are recorded as their final line.
  public func progress(_ update: ProgressUpdate) { recorder.progress(update) }

  /// Adds a figure to the cell's figures (after the result's own), e.g. the final training
  /// loss; replay compares it like the others.
  public func record(_ name: String, _ figure: Figure) { recorder.figures.append(name, figure) }

  /// On a replay of a cell where this command was stopped early and bound its result so far,
  /// the position it stopped at (what it passed to ``stoppedEarly(at:)``); nil otherwise. A
  /// command that binds on a stop asks once, before it starts, and stops there.
  public func recordedStop() -> [Int]? { recorder.nextReplayStop() }

  /// Records that the user stopped this command at `position` (in its own terms) and that it
  /// bound its result so far, so that a replay stops it at the same position.
  public func stoppedEarly(at position: [Int]) {
    recorder.earlyStops.append(EarlyStop(statement: recorder.statement, position: position))
  }

  /// For a command that measures the machine (timings): on a replay, what the recorded cell
  /// kept of this command's measurement (handed out once, in order) or that it kept none; on
  /// a live run ``MeasurementReplay/live``.
  public func recordedMeasurement() -> MeasurementReplay {
    recorder.nextReplayMeasurement(command: command)
  }

  /// Records what this command measured (its result's archive), so that a replay of the cell
  /// uses it instead of measuring again.
  public func recordMeasurement(_ archive: [UInt8]) {
    recorder.measurements.append(
      RecordedMeasurement(
        statement: recorder.statement, command: command,
        archive: String(decoding: archive, as: UTF8.self)))
  }
}

/// Collects one cell's output: forwards items to the sink and keeps their plain rendering,
/// and keeps the figures commands add.
final class CellRecorder {
  let sink: any OutputSink
  let style: TerminalStyle
  var lines: [String] = []
  var figures = Figures()
  /// The statement running (from 0).
  var statement = 0
  /// Early stops of this cell's commands, as they happened.
  var earlyStops: [EarlyStop] = []
  /// On a replay, the recorded early stops not yet handed to a command.
  var replayStops: [EarlyStop] = []

  /// Measurements of this cell's commands, as they were taken (or restored).
  var measurements: [RecordedMeasurement] = []
  /// On a replay, the recorded measurements not yet handed to a command; nil on a live run.
  var replayMeasurements: [RecordedMeasurement]?

  /// The next recorded measurement of `command` in the running statement (removed once handed
  /// out).
  func nextReplayMeasurement(command: String) -> MeasurementReplay {
    guard var pending = replayMeasurements else { return .live }
    defer { replayMeasurements = pending }
    guard
      let i = pending.firstIndex(where: { $0.statement == statement && $0.command == command })
    else { return .notRecorded }
    return .recorded(pending.remove(at: i).bytes)
  }

  /// The next recorded early stop of the running statement, if any (removed once handed out).
  func nextReplayStop() -> [Int]? {
    guard let i = replayStops.firstIndex(where: { $0.statement == statement }) else { return nil }
    return replayStops.remove(at: i).position
  }

  init(sink: any OutputSink, style: TerminalStyle) {
    self.sink = sink
    self.style = style
  }

  func emit(_ item: OutputItem) {
    sink.emit(item)
    lines.append(item.render(style: style))
  }

  /// Records text that the shell shows itself (errors), without sending it to the sink.
  func note(_ text: String) { lines.append(text) }

  func progress(_ update: ProgressUpdate) {
    sink.progress(update)
    if update.finished { lines.append(update.line(style: style)) }
  }

  var text: String { lines.joined(separator: "\n") }
}
