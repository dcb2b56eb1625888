import DurableIO
import Foundation

/// Where each lesson stands, kept between runs of `shears lesson` in one small JSON file:
/// `$XDG_STATE_HOME/shears/lessons.json`, else `$XDG_CACHE_HOME/shears/lessons.json`, else
/// `$HOME/.local/state/shears/lessons.json`. Written atomically (DurableIO) after every step.
///
/// ```json
/// {"format": "shears-lessons/1",
///  "lessons": {"03-groups": {"step": 5, "steps": 19, "script": "<hash>",
///                            "journal": "/…/shears/lessons/03-groups-….journal"}}}
/// ```
/// A file that cannot be read as this is never overwritten: ``load(_:)`` throws
/// ``Damaged``, and the command moves it aside (``setAside(_:)``) and says where.
struct LessonProgress: Codable, Equatable {
  /// One lesson's place.
  struct Place: Codable, Equatable {
    /// Script entries (narration blocks and cells) done.
    var step: Int
    /// Entries in the script.
    var steps: Int
    /// The content hash of the script the steps count in (a changed lesson starts over).
    var script: String
    /// The journal of the student's session, which a resume continues.
    var journal: String?
  }

  static let format = "shears-lessons/1"

  var format = Self.format
  var lessons: [String: Place] = [:]

  /// The progress file could not be read as progress.
  struct Damaged: Error, CustomStringConvertible {
    let path: String
    let reason: String
    var description: String { "the lesson progress file \(path) is damaged: \(reason)" }
  }

  /// The state folder for lessons (`…/shears`), or nil when no variable names one.
  static func folder(environment: [String: String] = ProcessInfo.processInfo.environment)
    -> String?
  {
    for key in ["XDG_STATE_HOME", "XDG_CACHE_HOME"] {
      if let base = environment[key], base.hasPrefix("/") { return base + "/shears" }
    }
    if let home = environment["HOME"], !home.isEmpty { return home + "/.local/state/shears" }
    return nil
  }

  /// The progress at `path`: empty when there is no file yet.
  static func load(_ path: String) throws -> LessonProgress {
    guard FileManager.default.fileExists(atPath: path) else { return LessonProgress() }
    let bytes: [UInt8]
    do {
      bytes = try DurableFile.read(path, limit: 1 << 20)
    } catch {
      throw Damaged(path: path, reason: "\(error)")
    }
    let progress: LessonProgress
    do {
      progress = try JSONDecoder().decode(LessonProgress.self, from: Data(bytes))
    } catch {
      throw Damaged(path: path, reason: "it is not the JSON shears writes (\(error))")
    }
    guard progress.format == Self.format else {
      throw Damaged(path: path, reason: "its format is '\(progress.format)', not \(Self.format)")
    }
    for (name, place) in progress.lessons
    where place.step < 0 || place.steps < 0 || place.step > place.steps {
      throw Damaged(path: path, reason: "lesson \(name) is at step \(place.step) of \(place.steps)")
    }
    return progress
  }

  /// Writes the progress to `path` atomically (its folder made when missing).
  func save(_ path: String) throws {
    let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
    try DurableFile.write(Array(try encoder.encode(self)) + [10], to: path)
  }

  /// Moves a damaged file to `PATH.damaged` (or `PATH.damaged-2`, …) and returns where.
  static func setAside(_ path: String) throws -> String {
    var target = path + ".damaged"
    var counter = 1
    while FileManager.default.fileExists(atPath: target) {
      counter += 1
      target = path + ".damaged-\(counter)"
    }
    try FileManager.default.moveItem(atPath: path, toPath: target)
    return target
  }
}
