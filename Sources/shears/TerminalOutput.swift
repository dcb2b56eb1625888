import CommandRuntime
import Foundation
import Render

/// Draws the runtime's output on the standard streams: items in the terminal style, warnings
/// on standard error, progress bars redrawn in place with `\r` on a terminal (at most ten times
/// a second) and only their final lines elsewhere. `quiet` drops everything but warnings.
final class TerminalOutput: OutputSink {
  /// Glyphs, colour and width.
  let style: TerminalStyle
  /// Whether standard output is a terminal.
  let isTerminal: Bool
  /// Whether only warnings are shown.
  var quiet: Bool
  private var openLength = 0
  private var lastDraw = 0.0

  init(style: TerminalStyle, isTerminal: Bool, quiet: Bool) {
    self.style = style
    self.isTerminal = isTerminal
    self.quiet = quiet
  }

  /// The style for standard output, from the environment.
  static func detect(quiet: Bool) -> TerminalOutput {
    let terminal = isatty(STDOUT_FILENO) == 1
    let style = TerminalStyle.detect(
      isTTY: terminal, environment: ProcessInfo.processInfo.environment)
    return TerminalOutput(style: style, isTerminal: terminal, quiet: quiet)
  }

  func emit(_ item: OutputItem) {
    finishProgressLine()
    if case .warning = item {
      Console.error(item.render(style: style))
      return
    }
    if quiet { return }
    Console.line(item.render(style: style))
  }

  func progress(_ update: ProgressUpdate) {
    if quiet { return }
    let line = update.line(style: style)
    guard isTerminal else {
      if update.finished { Console.line(line) }
      return
    }
    let now = Date().timeIntervalSince1970
    if !update.finished && openLength > 0 && now - lastDraw < 0.1 { return }
    lastDraw = now
    Console.write(ProgressBar.redraw(line, previousLength: openLength))
    if update.finished {
      Console.write("\n")
      openLength = 0
    } else {
      openLength = ProgressBar.visibleLength(line)
    }
  }

  /// Ends a progress line left open (a command that stopped mid-bar) with a newline.
  func finishProgressLine() {
    if openLength > 0 {
      Console.write("\n")
      openLength = 0
    }
  }
}
