import Render

/// A snapshot of a long command's progress, for a progress bar with an ETA.
public struct ProgressUpdate: Sendable, Equatable {
  /// What is running, e.g. `epoch 2/5`.
  public var label: String
  /// Steps done and in all.
  public internal(set) var completed: Int
  public var total: Int
  /// Seconds since the work began, and the estimate of seconds left (nil when unknown).
  public var elapsed: Double
  public internal(set) var eta: Double?
  /// Figures after the counts: `loss 0.412`, `acc 85.1%`, `812 img/s`.
  public internal(set) var fields: [ProgressField]
  /// True for the last update of this bar (the line is then finished with a newline).
  public internal(set) var finished: Bool

  /// Creates an update.
  public init(
    label: String, completed: Int, total: Int, elapsed: Double, eta: Double? = nil,
    fields: [ProgressField] = [], finished: Bool = false
  ) {
    self.label = label
    self.completed = completed
    self.total = total
    self.elapsed = elapsed
    self.eta = eta
    self.fields = fields
    self.finished = finished
  }

  /// The line a progress bar draws for this update in `style`: the running line with its ETA,
  /// or the final line with the total time.
  public func line(style: TerminalStyle) -> String {
    let bar = ProgressBar(label: label, total: total, style: style)
    return finished
      ? bar.finalLine(completed: completed, elapsed: elapsed, fields: fields)
      : bar.line(completed: completed, elapsed: elapsed, fields: fields)
  }
}

/// Where the runtime sends what commands show. The shell implements it for the terminal;
/// CommandRuntime itself never prints.
///
/// Calls come on the thread that runs the command; a training command reports progress from
/// the compute context's worker thread while the caller waits, never concurrently.
public protocol OutputSink: AnyObject {
  /// Shows an item (text, table, picture, warning).
  func emit(_ item: OutputItem)
  /// Shows or redraws a progress bar; `update.finished` ends it.
  func progress(_ update: ProgressUpdate)
}

/// A sink that keeps everything in memory: the items and the finished progress lines (tests,
/// scripts with `--quiet`).
public final class CollectingSink: OutputSink {
  /// The items in order.
  public private(set) var items: [OutputItem] = []
  /// Every progress update in order.
  public private(set) var updates: [ProgressUpdate] = []

  /// An empty sink.
  public init() {}

  /// Keeps the item.
  public func emit(_ item: OutputItem) { items.append(item) }

  /// Keeps the update.
  public func progress(_ update: ProgressUpdate) { updates.append(update) }

  /// All items rendered in `style`, one after another.
  public func text(style: TerminalStyle = .plain) -> String {
    items.map { $0.render(style: style) }.joined(separator: "\n")
  }
}
