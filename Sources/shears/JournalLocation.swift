import Foundation

/// Where the shell journals a session when no `--journal FILE` is given:
/// `$XDG_STATE_HOME/shears/sessions/` (when `XDG_STATE_HOME` is an absolute path), else
/// `$HOME/.local/state/shears/sessions/`, one `session-YYYYMMDD-HHMMSS-PID.journal` per shell
/// (blobs in the `.blobs` folder of the same name).
enum JournalLocation {
  /// The sessions folder for `environment`, or nil when neither variable names one.
  static func folder(environment: [String: String]) -> String? {
    if let state = environment["XDG_STATE_HOME"], state.hasPrefix("/") {
      return trimmed(state) + "/shears/sessions"
    }
    if let home = environment["HOME"], !home.isEmpty {
      return trimmed(home) + "/.local/state/shears/sessions"
    }
    return nil
  }

  /// A journal path in the sessions folder that does not exist yet.
  static func fresh(environment: [String: String] = ProcessInfo.processInfo.environment)
    -> String?
  {
    guard let folder = folder(environment: environment) else { return nil }
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.timeZone = TimeZone(identifier: "UTC")
    formatter.dateFormat = "yyyyMMdd-HHmmss"
    let base = folder + "/session-\(formatter.string(from: Date()))-\(getpid())"
    var candidate = base + ".journal"
    var counter = 1
    while FileManager.default.fileExists(atPath: candidate) {
      counter += 1
      candidate = base + "-\(counter).journal"
    }
    return candidate
  }

  private static func trimmed(_ path: String) -> String {
    var text = Substring(path)
    while text.count > 1 && text.hasSuffix("/") { text = text.dropLast() }
    return String(text)
  }
}
