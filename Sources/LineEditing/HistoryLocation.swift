import DurableIO
import Foundation

/// Where the shell keeps its line-editing history, and how that place is prepared.
///
/// The file is written by libedit (first line `_HiStOrY_V2_`, spaces stored as `\040`), so it
/// is not a plain command log.
enum HistoryLocation {
  /// The history file for `environment`, or `nil` when no location can be named.
  ///
  /// In order of precedence:
  /// 1. `SHEARS_HISTORY`, when set and not empty, used as given;
  /// 2. `$XDG_STATE_HOME/shears/history`, when `XDG_STATE_HOME` is an absolute path (the XDG
  ///    base-directory rules ignore relative values);
  /// 3. `$HOME/.local/state/shears/history`, when `HOME` is set and not empty.
  ///
  /// ```swift
  /// HistoryLocation.resolve(environment: ["HOME": "/home/ada"])
  /// // "/home/ada/.local/state/shears/history"
  /// ```
  public static func resolve(environment: [String: String]) -> String? {
    if let explicit = environment["SHEARS_HISTORY"], !explicit.isEmpty {
      return explicit
    }
    if let state = environment["XDG_STATE_HOME"], state.hasPrefix("/") {
      return joined(state, "shears/history")
    }
    if let home = environment["HOME"], !home.isEmpty {
      return joined(home, ".local/state/shears/history")
    }
    return nil
  }

  /// The history file for the current process environment (see ``resolve(environment:)``).
  static func resolveFromProcessEnvironment() -> String? {
    resolve(environment: ProcessInfo.processInfo.environment)
  }

  /// Creates the folder that will hold the history file at `path` (mode 0700, with its
  /// parents) if it does not exist yet.
  ///
  /// - Returns: `nil` when the folder exists or was created, otherwise a warning.
  static func prepareDirectory(forFile path: String) -> LineEditingWarning? {
    guard let slash = path.lastIndex(of: "/") else {
      return nil  // a bare file name: the current directory
    }
    let directory = String(path[..<slash])
    do {
      try DurableFile.makeDirectory(directory, permissions: 0o700)
      return nil
    } catch .notADirectory(let blocker) {
      return .historyDirectoryNotCreated(path: directory, reason: "\(blocker) is not a folder")
    } catch {
      return .historyDirectoryNotCreated(path: directory, reason: error.reason)
    }
  }

  /// `base` and `suffix` joined by exactly one slash.
  private static func joined(_ base: String, _ suffix: String) -> String {
    var trimmed = Substring(base)
    while trimmed.hasSuffix("/") {
      trimmed = trimmed.dropLast()
    }
    return "\(trimmed)/\(suffix)"
  }
}
