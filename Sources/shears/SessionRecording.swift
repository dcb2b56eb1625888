import ArgumentParser
import CommandRuntime
import Foundation
import Notebook

/// `shears run --record OUT.json`: the run's cells journaled to `OUT.journal` while it runs,
/// then written as the session `OUT.json` (values in `OUT.blobs/`) and the journal removed.
struct SessionRecording {
  /// The session file to write.
  let path: String
  /// The journal beside it.
  let journalPath: String
  /// The session being recorded.
  let session: ShellSession

  /// Starts recording into `path`; refuses an existing file unless `overwrite`.
  static func start(
    _ path: String, overwrite: Bool, runtime: Runtime, output: TerminalOutput
  ) throws -> SessionRecording {
    var base = path
    if base.hasSuffix(".json") { base.removeLast(".json".count) }
    let journalPath = base + ".journal"
    let manager = FileManager.default
    if manager.fileExists(atPath: path) && !overwrite {
      throw sessionFailure(NotebookError.exists(path: path, hint: "pass --overwrite to replace it"))
    }
    if manager.fileExists(atPath: journalPath) {
      guard overwrite else {
        throw sessionFailure(
          NotebookError.exists(path: journalPath, hint: "pass --overwrite to replace it"))
      }
      try? manager.removeItem(atPath: journalPath)
    }
    do {
      let session = try ShellSession.start(
        runtime: runtime, output: output, journal: .file(journalPath))
      return SessionRecording(path: path, journalPath: journalPath, session: session)
    } catch {
      throw sessionFailure(error)
    }
  }

  /// Writes the session (when a cell ran) and removes the journal.
  func finish(quiet: Bool) throws {
    let cells = session.recorder.session.cells.count
    guard cells > 0 else {  // nothing ran (a type error): no session, no journal
      try? FileManager.default.removeItem(atPath: journalPath)
      return
    }
    do {
      try session.recorder.save(to: path, overwrite: true)
    } catch {
      Console.error("the cells are kept in the journal \(journalPath)")
      throw sessionFailure(error)
    }
    try? FileManager.default.removeItem(atPath: journalPath)
    if !quiet {
      Console.line(
        "recorded \(cells) cell\(cells == 1 ? "" : "s") to \(path) "
          + "(values in \(BlobStore.folder(for: path)))")
    }
  }
}
