/// Why a session could not be read, written, restored or exported.
///
/// Every message names the file (and the cell, binding or blob) and says what to do.
public enum NotebookError: Error, Equatable, Sendable, CustomStringConvertible {
  /// The file cannot be read (missing, a folder, no permission).
  case unreadable(path: String, reason: String)
  /// The file stops in the middle of its JSON (a truncated copy or an interrupted write).
  case truncated(path: String, size: Int)
  /// The file is not valid JSON; `offset` is the byte where parsing failed, when known.
  case invalidJSON(path: String, offset: Int?, detail: String)
  /// The JSON is valid but not a Shears session (no `format`, or another format's name).
  case notASession(path: String, detail: String)
  /// A session written by a newer Shears, in a format version this build cannot read.
  case futureFormat(path: String, found: Int, supported: Int)
  /// A session written by an older Shears whose random draws depended on cell positions.
  case pastFormat(path: String, found: Int, supported: Int)
  /// A cell (or the header) was changed after it was recorded: its hash-chain link differs.
  case chainBroken(path: String, detail: String)
  /// The JSON is a session but a field is missing or of the wrong kind.
  case invalidSession(path: String, detail: String)
  /// A journal line in the middle of the file does not decode.
  case invalidJournalLine(path: String, line: Int, detail: String)
  /// A blob a binding needs is not in the blob folder.
  case missingBlob(hash: String, binding: String, cell: Int, folder: String)
  /// A blob's bytes do not hash to its name (it was changed or damaged).
  case blobHashMismatch(hash: String, actual: String, binding: String, cell: Int, folder: String)
  /// A restored value does not hash to the hash recorded for its binding.
  case restoredHashMismatch(binding: String, cell: Int, recorded: String, restored: String)
  /// A stored value could not be decoded into a value of its type.
  case cannotRestore(binding: String, cell: Int, type: String, reason: String)
  /// A file or folder could not be written; nothing that existed was replaced.
  case cannotWrite(path: String, reason: String)
  /// The output file exists and overwriting it was not asked for; `hint` says how to ask.
  case exists(path: String, hint: String = "")
  /// `--from N` names a cell the session does not have.
  case noSuchCell(number: Int, count: Int)

  /// A message a user can act on.
  public var description: String {
    switch self {
    case .unreadable(let path, let reason):
      return "cannot read the session \(path): \(reason)"
    case .truncated(let path, let size):
      return "the session file \(path) ends early (its JSON stops at byte \(size) with objects "
        + "still open): it was truncated or copied while being written; use an intact copy, "
        + "or its .journal"
    case .invalidJSON(let path, let offset, let detail):
      let place = offset.map { " at byte \($0)" } ?? ""
      return "the session file \(path) is not valid JSON\(place): \(detail)"
    case .notASession(let path, let detail):
      return "\(path) is not a Shears session: \(detail)"
    case .futureFormat(let path, let found, let supported):
      return "\(path) was written by a newer Shears (format \(found)); this build reads formats "
        + "up to \(supported): update Shears to read it"
    case .pastFormat(let path, let found, let supported):
      return "\(path) was recorded by an older Shears (format \(found)) whose random draws "
        + "depended on where each cell stood; this build replays format \(supported) and later: run "
        + "its inputs again (shears run --record) to make a new session"
    case .chainBroken(let path, let detail):
      return "the session file \(path) was edited: \(detail)"
    case .invalidSession(let path, let detail):
      return "the session file \(path) is damaged: \(detail)"
    case .invalidJournalLine(let path, let line, let detail):
      return "the journal \(path) is damaged at line \(line): \(detail)"
    case .missingBlob(let hash, let binding, let cell, let folder):
      return "the blob \(hash) of '\(binding)' (bound by cell \(cell)) is missing from \(folder); "
        + "copy the session's blob folder along with its JSON"
    case .blobHashMismatch(let hash, let actual, let binding, let cell, let folder):
      return "the blob \(hash) of '\(binding)' (bound by cell \(cell)) in \(folder) was changed: "
        + "its bytes hash to \(actual); restore the original blob folder"
    case .restoredHashMismatch(let binding, let cell, let recorded, let restored):
      return "'\(binding)' (bound by cell \(cell)) restores to a value with hash \(restored), "
        + "but the session recorded \(recorded); this build decodes it differently — "
        + "replay the session instead"
    case .cannotRestore(let binding, let cell, let type, let reason):
      return "cannot restore '\(binding)' (a \(type), bound by cell \(cell)): \(reason)"
    case .cannotWrite(let path, let reason):
      return "cannot write \(path): \(reason); nothing that was there has been replaced"
    case .exists(let path, let hint):
      return "\(path) exists; choose another name" + (hint.isEmpty ? "" : " or \(hint)")
        + " (nothing was replaced)"
    case .noSuchCell(let number, let count):
      return "the session has cells 1 to \(count); there is no cell \(number)"
    }
  }
}
