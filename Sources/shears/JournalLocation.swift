import Foundation

/// Where the shell journals a session when no `--journal FILE` is given:
/// `$XDG_STATE_HOME/shears/sessions/` (when `XDG_STATE_HOME` is an absolute path), else
/// `$HOME/.local/state/shears/sessions/`, one `session-YYYYMMDD-HHMMSS-PID.journal` per shell
/// (blobs in the `.blobs` folder of the same name). Only the newest ``kept`` journals are
/// kept: starting a new one removes older ones (and their blobs).
enum JournalLocation {
  /// How many automatic journals the sessions folder keeps.
  static let kept = 50

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
    prune(folder, keeping: kept - 1)
    return unused(in: folder, named: "session", suffix: "-\(getpid())")
  }

  /// `FOLDER/NAME-<UTC time>SUFFIX.journal`, or with `-2`, `-3`, … before `.journal` when that
  /// exists already.
  static func unused(in folder: String, named name: String, suffix: String = "") -> String {
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.timeZone = TimeZone(identifier: "UTC")
    formatter.dateFormat = "yyyyMMdd-HHmmss"
    let base = folder + "/\(name)-\(formatter.string(from: Date()))" + suffix
    var candidate = base + ".journal"
    var counter = 1
    while FileManager.default.fileExists(atPath: candidate) {
      counter += 1
      candidate = base + "-\(counter).journal"
    }
    return candidate
  }

  /// Removes all but the newest `count` automatic journals in `folder` (names embed the UTC
  /// time, so they sort by age), with their blob folders. Other files are left alone.
  static func prune(_ folder: String, keeping count: Int) {
    guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return }
    let journals = names.filter { $0.hasPrefix("session-") && $0.hasSuffix(".journal") }.sorted()
    for name in journals.dropLast(max(count, 0)) {
      let path = folder + "/" + name
      try? FileManager.default.removeItem(atPath: path)
      try? FileManager.default.removeItem(
        atPath: folder + "/" + String(name.dropLast(".journal".count)) + ".blobs")
    }
  }

  private static func trimmed(_ path: String) -> String {
    var text = Substring(path)
    while text.count > 1 && text.hasSuffix("/") { text = text.dropLast() }
    return String(text)
  }
}
