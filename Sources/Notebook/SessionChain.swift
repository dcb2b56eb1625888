import CommandRuntime
import DurableIO
import Foundation

/// A hash chain through a session's cells, so that an edit anywhere — a figure, a rendered
/// table, an elapsed time, a deleted or reordered cell, the header — is named by the first cell
/// whose link no longer matches.
///
/// Link of cell 1: ``DurableIO/ContentHash`` (FNV-1a-64) of the header's canonical JSON
/// followed by the cell's canonical JSON (sorted keys, without its own `chain`). Link of cell
/// n: the hash of cell n-1's link followed by cell n's canonical JSON. FNV-1a is not a
/// cryptographic hash: the chain catches edits made by hand or by a tool that does not know
/// it; someone who recomputes it can forge it, which is why `replay --verify` also re-runs
/// every cell and compares its figures, bindings and what it showed.
///
/// ```swift
/// var session = Session(header: header, cells: cells)
/// SessionChain.seal(&session)
/// SessionChain.firstBreak(in: session)  // nil
/// ```
public enum SessionChain {
  /// Where the chain breaks: the cell, and its recorded and computed links.
  public struct Break: Hashable, Sendable, CustomStringConvertible {
    /// The first cell whose link does not match.
    public var cell: Int
    /// Its recorded link (nil: it has none).
    public var recorded: String?
    /// The link its content gives.
    public var computed: String

    /// The cell and what to do.
    public var description: String {
      let place = cell == 1 ? "the header or cell 1" : "cell \(cell) (or the one before it)"
      return "\(place) was changed after it was recorded: its chain link is "
        + "\(recorded ?? "missing"), its content gives \(computed)"
    }
  }

  /// The link of `cell` after `previous` (the link of the cell before, or nil for the first
  /// cell, which links to `header`).
  public static func link(_ cell: SessionCell, after previous: String?, header: SessionHeader)
    -> String
  {
    var unchained = cell
    unchained.chain = nil
    let start: [UInt8]
    if let previous {
      start = Array(previous.utf8)
    } else {
      start = (try? canonical(header)) ?? []
    }
    let body = (try? canonical(unchained)) ?? []
    return ContentHash.hex(ContentHash.fnv1a64(body, state: ContentHash.fnv1a64(start)))
  }

  /// Sets every cell's link.
  public static func seal(_ session: inout Session) {
    var previous: String?
    for index in session.cells.indices {
      let link = link(session.cells[index], after: previous, header: session.header)
      session.cells[index].chain = link
      previous = link
    }
  }

  /// The first cell whose link does not match its content and the link before it.
  public static func firstBreak(in session: Session) -> Break? {
    var previous: String?
    for cell in session.cells {
      let computed = link(cell, after: previous, header: session.header)
      if cell.chain != computed {
        return Break(cell: cell.number, recorded: cell.chain, computed: computed)
      }
      previous = cell.chain
    }
    return nil
  }

  private static func canonical<T: Encodable>(_ value: T) throws -> [UInt8] {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    return Array(try encoder.encode(value))
  }
}
