import Foundation

/// Where commands write files, and the rule that they never replace one unasked (checked
/// first for a clear message; `write` also asks ``DurableIO/DurableFile`` to refuse, so a
/// file that appears meanwhile is not replaced either).
///
/// Normally a path is used as written. With a scratch folder (replaying a session that may come
/// from someone else) every path a command writes is rewritten into that folder — `out/s.csv`
/// becomes `SCRATCH/out/s.csv`, `/etc/x` becomes `SCRATCH/etc/x`, and `..` components become
/// `__` — so nothing outside it can be written; a path read back (`load`) is looked up there
/// first, so a session that saves and loads a checkpoint replays without touching the original.
///
/// ```swift
/// let target = try FileTargets.writing("m.ckpt", overwrite: false, command: "save",
///                                      scratch: nil)  // "m.ckpt", or an error when it exists
/// ```
public enum FileTargets {
  /// The path to write for `path`: rewritten into `scratch` when set (its folders created),
  /// refused when a file is there and `overwrite` is false.
  public static func writing(
    _ path: String, overwrite: Bool, command: String, scratch: String?
  ) throws -> String {
    let target = scratch.map { inside($0, path) } ?? path
    if let scratch {
      let folder = URL(fileURLWithPath: target).deletingLastPathComponent().path
      if folder != scratch {
        try? FileManager.default.createDirectory(
          atPath: folder, withIntermediateDirectories: true)
      }
    }
    if !overwrite && FileManager.default.fileExists(atPath: target) {
      throw exists(path, command: command)
    }
    return target
  }

  /// The error for a file `path` that exists when replacing it was not asked for.
  public static func exists(_ path: String, command: String) -> RuntimeError {
    .invalidArgument(
      command: command, name: "path",
      problem: "\(path) exists; add overwrite=true to replace it, or choose another name")
  }

  /// The path to read for `path`: the scratch copy when there is one, else `path`.
  public static func reading(_ path: String, scratch: String?) -> String {
    guard let scratch else { return path }
    let copy = inside(scratch, path)
    return FileManager.default.fileExists(atPath: copy) ? copy : path
  }

  /// `path` placed inside `folder`: empty and `.` components dropped, `..` made `__`.
  public static func inside(_ folder: String, _ path: String) -> String {
    let parts = path.split(separator: "/").compactMap { part -> String? in
      switch part {
      case "", ".": return nil
      case "..": return "__"
      default: return String(part)
      }
    }
    return ([folder] + (parts.isEmpty ? ["unnamed"] : parts)).joined(separator: "/")
  }
}
