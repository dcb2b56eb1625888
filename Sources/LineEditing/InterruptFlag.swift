import CEditLineShim

/// The process-wide SIGINT latch that lets Ctrl-C stop a running command without killing the
/// shell.
///
/// Signals belong to the process, so this is process-wide state by nature; it lives in the C
/// target `CEditLineShim` (a C11 atomic set by an async-signal-safe handler) and this type only
/// names the operations on it.
///
/// Cooperation with ``EditLineReader``:
/// - The shell calls ``install()`` once at start-up. From then on a Ctrl-C while a command
///   runs only sets the latch (with `SA_RESTART`, so file reads and writes in flight resume
///   instead of failing with `EINTR`); the engine's progress callback polls ``isSet`` and stops
///   at the next batch. The shell calls ``clear()`` before it runs each command.
/// - While ``EditLineReader/readLine(prompt:)`` waits for input, it installs the same latch
///   handler *without* `SA_RESTART` (so that the terminal read returns), consumes the latch
///   to report ``LineReadResult/interrupted``, and then puts back whatever SIGINT action was in
///   force before: this latch (with `SA_RESTART`) if the shell installed it, the default
///   action otherwise. A Ctrl-C at the prompt therefore never leaks into the next command.
///
/// ```swift
/// InterruptFlag.install()
/// InterruptFlag.clear()
/// for batch in batches {
///   if InterruptFlag.isSet { break }  // Ctrl-C: stop at the next batch
///   train(batch)
/// }
/// ```
public enum InterruptFlag {
  /// Installs the latch as the SIGINT action, with `SA_RESTART`. Calling it again is harmless.
  ///
  /// - Returns: `true` when the handler is in place (`sigaction` does not fail for SIGINT in
  ///   practice).
  @discardableResult
  public static func install() -> Bool {
    lineedit_sigint_install(1, nil) == 0
  }

  /// Restores the default SIGINT action (terminate the process). The latch keeps its value.
  @discardableResult
  static func uninstall() -> Bool {
    lineedit_sigint_default() == 0
  }

  /// Whether the latch handler is the current SIGINT action.
  static var isInstalled: Bool {
    lineedit_sigint_latch_is_installed() != 0
  }

  /// Whether a SIGINT arrived since the last ``clear()`` (or ``take()``).
  public static var isSet: Bool {
    lineedit_sigint_is_set() != 0
  }

  /// Resets the latch.
  public static func clear() {
    lineedit_sigint_clear()
  }

  /// Resets the latch and returns whether it was set, in one atomic step.
  public static func take() -> Bool {
    lineedit_sigint_take() != 0
  }
}
