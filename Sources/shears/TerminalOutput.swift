import CommandRuntime
import Foundation
import Render

/// Draws the runtime's output on the standard streams: items in the terminal style, warnings
/// on standard error, progress bars redrawn in place with `\r` on a terminal (at most ten times
/// a second) and only their final lines elsewhere. `quiet` drops everything but warnings.
///
/// On a terminal the width follows the window: it is read (`TIOCGWINSZ`) each time something
/// is drawn, so a resized window (SIGWINCH) gets output of its new width; elsewhere it is
/// `COLUMNS` or 80.
final class TerminalOutput: OutputSink {
  /// Glyphs, colour and the width at start (what a recorded session's text is drawn for).
  let baseStyle: TerminalStyle
  /// Glyphs, colour and the terminal's current width.
  var style: TerminalStyle {
    var current = baseStyle
    if isTerminal, let width = Self.terminalWidth(), width > 0 { current.width = width }
    return current
  }
  /// Whether standard output is a terminal.
  let isTerminal: Bool
  /// Whether only warnings are shown.
  var quiet: Bool
  private var openLength = 0
  private var lastDraw = 0.0

  init(style: TerminalStyle, isTerminal: Bool, quiet: Bool) {
    self.baseStyle = style
    self.isTerminal = isTerminal
    self.quiet = quiet
  }

  /// The style for standard output, from the environment (and the window's width).
  static func detect(quiet: Bool) -> TerminalOutput {
    let terminal = isatty(STDOUT_FILENO) == 1
    var style = TerminalStyle.detect(
      isTTY: terminal, environment: ProcessInfo.processInfo.environment)
    if terminal, let width = terminalWidth(), width > 0 { style.width = width }
    return TerminalOutput(style: style, isTerminal: terminal, quiet: quiet)
  }

  /// The columns of the terminal on standard output, or nil when it cannot be asked.
  static func terminalWidth() -> Int? {
    var size = winsize()
    guard ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return nil }
    return Int(size.ws_col)
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
