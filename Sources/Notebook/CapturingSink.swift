import CommandRuntime
import Render

/// An output sink that passes everything on to another sink and keeps a record of the items
/// and finished progress bars (in the record style) for the cell being run.
final class CapturingSink: OutputSink {
  /// Where the items go on to (the terminal).
  public let inner: any OutputSink
  /// The style pictures and progress lines are recorded in.
  public let style: TerminalStyle
  /// What was shown since the last ``take()``.
  public private(set) var outputs: [CellOutput] = []

  /// A sink forwarding to `inner`, recording in `style`.
  public init(forwardingTo inner: any OutputSink, style: TerminalStyle) {
    self.inner = inner
    self.style = style
  }

  /// Records and forwards an item.
  public func emit(_ item: OutputItem) {
    outputs.append(CellOutput(item, style: style))
    inner.emit(item)
  }

  /// Forwards a progress update and records the line of a finished bar.
  public func progress(_ update: ProgressUpdate) {
    if update.finished { outputs.append(.progress(update.line(style: style))) }
    inner.progress(update)
  }

  /// The records since the last call, clearing them.
  public func take() -> [CellOutput] {
    defer { outputs = [] }
    return outputs
  }
}
