import CEditLineShim
@preconcurrency import CLibEdit
@preconcurrency import Glibc

/// The interactive line editor, on libedit's readline emulation.
///
/// It offers emacs key bindings (unless `~/.editrc` says otherwise; lines prefixed `shears:`
/// apply to this program only), Up/Down history recall, Ctrl-R incremental reverse search,
/// Tab completion through ``completion``, Ctrl-C to cancel the line being typed, and Ctrl-D on
/// an empty line for end of input. History is loaded from ``historyPath`` when the reader is
/// made and appended to it by ``saveHistory()``.
///
/// libedit keeps one editor per process, so make at most one `EditLineReader` and use it from
/// the main thread. It sets `LC_CTYPE` from the environment, or to `C.UTF-8` when the
/// environment names no UTF-8 locale, so that UTF-8 input is edited by character.
///
/// ```swift
/// let reader = EditLineReader(historyPath: HistoryLocation.resolveFromProcessEnvironment())
/// reader.completion = { line, cursor in ["prune", "plan"] }
/// if case .line(let text) = reader.readLine(prompt: "shears> ") { reader.addHistory(text) }
/// ```
public final class EditLineReader: LineReader {
  /// The history file, or `nil` when history is kept in memory only.
  let historyPath: String?
  /// The most entries kept in memory and in the history file.
  let historyLimit: Int
  /// Tab completion candidates; `nil` makes Tab ring the bell.
  public internal(set) var completion: CompletionProvider?
  /// Problems met while loading the history (the reader works regardless).
  public internal(set) var startupWarnings: [LineEditingWarning] = []

  private var unsaved: [String] = []
  private var lastEntry: String?
  /// False when the history folder could not be prepared: nothing is saved this run.
  private var persistent: Bool
  /// True after a save failed, so that a run of failures is reported once.
  private var lastSaveFailed = false

  /// Sets up libedit and loads the history.
  ///
  /// - Parameters:
  ///   - historyPath: the history file (see ``HistoryLocation/resolve(environment:)``); its
  ///     folder is created when missing. `nil` keeps history in memory only.
  ///   - historyLimit: the most entries kept (at least 1).
  ///   - completion: Tab completion candidates.
  public init(
    historyPath: String?, historyLimit: Int = 1000, completion: CompletionProvider? = nil
  ) {
    self.historyPath = historyPath
    self.historyLimit = max(1, historyLimit)
    self.completion = completion
    self.persistent = historyPath != nil

    EditLineReader.selectUTF8CharacterType()
    rl_readline_name = UnsafePointer(readlineName)
    rl_attempted_completion_function = editLineAttemptedCompletion
    // libedit's rl_complete splits words at rl_basic_word_break_characters (checked by the
    // terminal tests); the completer set is set too for readline-compatible readers.
    rl_basic_word_break_characters = UnsafePointer(wordBreakCharacters)
    rl_completer_word_break_characters = wordBreakCharacters
    // rl_initialize selects emacs bindings, binds Tab to rl_complete and Ctrl-R to
    // em-inc-search-prev (checked by the terminal tests), then applies ~/.editrc, which is
    // left to override them.
    rl_initialize()
    using_history()
    stifle_history(Int32(clamping: self.historyLimit))
    if let historyPath {
      loadHistory(from: historyPath)
    }
  }

  deinit {
    activeCompletionProvider = nil
  }

  /// Reads one line after showing `prompt`.
  ///
  /// - Returns: the line; ``LineReadResult/interrupted`` after Ctrl-C (the partial line is
  ///   dropped); ``LineReadResult/endOfInput`` after Ctrl-D on an empty line or when the
  ///   terminal goes away. In both of the last two cases the reader writes a newline, so that
  ///   what the caller prints next starts on a fresh line.
  ///
  /// While it waits it catches SIGINT with the ``InterruptFlag`` latch, without `SA_RESTART`,
  /// and afterwards restores the action in force before the call.
  public func readLine(prompt: String) -> LineReadResult {
    activeCompletionProvider = completion
    defer { activeCompletionProvider = nil }
    _ = lineedit_sigint_take()  // a Ctrl-C from before this prompt is not about this line
    var previous = sigaction()
    let installed = lineedit_sigint_install(0, &previous) == 0
    let raw = readline(prompt)
    if installed {
      _ = lineedit_sigint_restore(&previous)
    }
    let interrupted = lineedit_sigint_take() != 0
    if let raw {
      defer { free(raw) }
      return .line(String(cString: raw))
    }
    // The cursor is still on the prompt line: move it to a fresh line for what comes next.
    fputs("\n", rl_outstream ?? stdout)
    fflush(rl_outstream ?? stdout)
    return interrupted ? .interrupted : .endOfInput
  }

  /// Adds `line` to the history, unless it is blank or repeats the previous entry.
  public func addHistory(_ line: String) {
    if line.allSatisfy(\.isWhitespace) || line == lastEntry {
      return
    }
    add_history(line)
    lastEntry = line
    unsaved.append(line)
    if unsaved.count > historyLimit {
      unsaved.removeFirst(unsaved.count - historyLimit)
    }
  }

  /// Appends the entries added since the last save to the history file and trims it to
  /// ``historyLimit`` entries.
  ///
  /// - Returns: `nil` on success, when there is nothing to save, or when the history folder
  ///   could not be prepared (already reported in ``startupWarnings``); otherwise a warning.
  ///   After a failure the entries are kept for the next attempt, and further failures return
  ///   `nil` until a save succeeds again, so the user is warned once, not at every line.
  public func saveHistory() -> LineEditingWarning? {
    guard let historyPath, persistent, !unsaved.isEmpty else {
      return nil
    }
    if let warning = HistoryFile(path: historyPath, limit: historyLimit).append(unsaved) {
      defer { lastSaveFailed = true }
      return lastSaveFailed ? nil : warning
    }
    lastSaveFailed = false
    unsaved.removeAll()
    return nil
  }

  /// Takes `LC_CTYPE` from the environment, or `C.UTF-8` when that is not a UTF-8 locale
  /// (unset, `C`, `POSIX`): libedit decodes keys with `mbrtowc`, and in a non-UTF-8 locale it
  /// would drop every non-ASCII key.
  private static func selectUTF8CharacterType() {
    if setlocale(LC_CTYPE, "") == nil || String(cString: nl_langinfo(nl_item(CODESET))) != "UTF-8" {
      setlocale(LC_CTYPE, "C.UTF-8")
    }
  }

  /// Prepares the folder of `path` and loads the file into libedit's history if it exists.
  private func loadHistory(from path: String) {
    if let warning = HistoryLocation.prepareDirectory(forFile: path) {
      startupWarnings.append(warning)
      persistent = false
      return
    }
    var status = stat()
    if stat(path, &status) != 0 {
      if errno != ENOENT {
        startupWarnings.append(
          .historyNotLoaded(path: path, reason: String(cString: strerror(errno))))
      }
      return  // no file yet: the first save creates it
    }
    if (status.st_mode & S_IFMT) != S_IFREG {
      startupWarnings.append(.historyNotLoaded(path: path, reason: "not a regular file"))
      return
    }
    if status.st_size == 0 {
      return
    }
    let result = read_history(path)
    if result == EINVAL {
      startupWarnings.append(
        .historyNotLoaded(path: path, reason: "not a libedit history file"))
    } else if result != 0 {
      startupWarnings.append(
        .historyNotLoaded(path: path, reason: String(cString: strerror(result))))
    } else if history_length > 0, let entry = history_get(history_base + history_length - 1) {
      lastEntry = entry.pointee.line.map { String(cString: $0) }
    }
  }
}
