/// A non-fatal problem of the line editor, for the caller to show to the user.
///
/// The reader keeps working after every one of these; only history persistence is lost.
public enum LineEditingWarning: Error, Equatable, Sendable, CustomStringConvertible {
  /// No history file could be named: neither `SHEARS_HISTORY`, `XDG_STATE_HOME` nor `HOME` is
  /// set.
  case noHistoryLocation
  /// The folder for the history file could not be created.
  case historyDirectoryNotCreated(path: String, reason: String)
  /// The history file exists but could not be read (or is not a libedit history file).
  case historyNotLoaded(path: String, reason: String)
  /// The history file could not be written.
  case historyNotSaved(path: String, reason: String)

  public var description: String {
    switch self {
    case .noHistoryLocation:
      return "warning: history will not be saved: set SHEARS_HISTORY (a file path) or HOME"
    case .historyDirectoryNotCreated(let path, let reason):
      return "warning: history will not be saved: cannot create the folder \(path): \(reason);"
        + " set SHEARS_HISTORY to a writable file path"
    case .historyNotLoaded(let path, let reason):
      return "warning: could not load the history file \(path): \(reason);"
        + " it must be readable and written by libedit (first line _HiStOrY_V2_)"
    case .historyNotSaved(let path, let reason):
      return "warning: could not save the history file \(path): \(reason);"
        + " check its permissions or set SHEARS_HISTORY to a writable file path"
    }
  }
}
