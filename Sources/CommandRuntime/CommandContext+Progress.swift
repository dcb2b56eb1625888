extension CommandContext {
  /// Closes a progress bar that a stop (Ctrl-C) cut short: `last` is drawn once more, finished
  /// and labelled "(stopped)" — also when the stop landed on its last step, so a stopped run
  /// always says so on its own line.
  ///
  /// ```swift
  /// if report.interrupted { context.progressStopped(last) }
  /// ```
  public func progressStopped(_ last: ProgressUpdate?) {
    guard var stopped = last else { return }
    stopped.finished = true
    stopped.label += " (stopped)"
    progress(stopped)
  }
}
