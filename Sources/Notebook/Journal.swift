import DurableIO
import Foundation

/// The journal of a session being recorded: one JSON object a line, appended and flushed to
/// disk (`fsync`) as each cell finishes, so that a crash or a kill loses only the cell that
/// was running. Its blobs share the session's blob folder (`NAME.journal` → `NAME.blobs/`) and
/// are written before the line that names them.
///
/// Line 1 is the header: the ``SessionHeader`` fields plus `"journal": true`. Every later line
/// is `{"cell": {…}}` with a ``SessionCell``. A last line without its newline is a write that
/// was cut short; reading leaves it out.
///
/// ```swift
/// let journal = try Journal.create(at: "s.journal", header: header)
/// try journal.append(cell)          // blobs first, then this
/// let session = try SessionFile.load("s.journal").session
/// ```
public struct Journal: Sendable {
  /// The journal file.
  public let path: String

  /// The journal's blob folder.
  public var blobs: BlobStore { BlobStore(folder: BlobStore.folder(for: path)) }

  private init(path: String) {
    self.path = path
  }

  /// Starts a journal at `path` with `header` (its folder is created); refuses an existing
  /// file.
  public static func create(at path: String, header: SessionHeader) throws -> Journal {
    if FileManager.default.fileExists(atPath: path) { throw NotebookError.exists(path: path) }
    let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
    try NotebookError.translating { try DurableFile.makeDirectory(folder) }
    let journal = Journal(path: path)
    let first = try line(HeaderLine(header: header))
    try NotebookError.translating { try DurableFile.append(first, to: path) }
    return journal
  }

  /// Opens an existing journal to add to it: reads it and cuts off a last line that was cut
  /// short, so the next line starts cleanly.
  public static func open(at path: String) throws -> (Journal, SessionFile.Loaded) {
    let bytes = try NotebookError.translating { try DurableFile.read(path) }
    guard isJournal(bytes) else {
      throw NotebookError.notASession(path: path, detail: "it is not a journal")
    }
    let rebuilt = try rebuild(bytes, path: path)
    if rebuilt.validLength < bytes.count && truncate(path, off_t(rebuilt.validLength)) != 0 {
      throw NotebookError.cannotWrite(path: path, reason: "cannot cut its torn last line")
    }
    let loaded = SessionFile.Loaded(
      session: rebuilt.session, blobs: BlobStore(folder: BlobStore.folder(for: path)),
      fromJournal: true, droppedTornLine: rebuilt.droppedTornLine)
    return (Journal(path: path), loaded)
  }

  /// Appends a finished cell (its blobs must already be stored).
  public func append(_ cell: SessionCell) throws {
    let line = try Self.line(CellLine(cell: cell))
    try NotebookError.translating { try DurableFile.append(line, to: path) }
  }

  // MARK: - Reading

  /// Whether `bytes` start with a journal header line.
  static func isJournal(_ bytes: [UInt8]) -> Bool {
    let first = bytes.prefix { $0 != UInt8(ascii: "\n") }
    guard first.count < bytes.count,
      let object = try? JSONSerialization.jsonObject(with: Data(first)) as? [String: Any]
    else { return false }
    return object["journal"] as? Bool == true
  }

  /// A journal rebuilt: the session, whether a torn last line was left out, and the length of
  /// the part that was read.
  struct Rebuilt {
    var session: Session
    var droppedTornLine: Bool
    var validLength: Int
  }

  /// Rebuilds the session a journal records.
  static func rebuild(_ bytes: [UInt8], path: String) throws -> Rebuilt {
    var lines: [(bytes: ArraySlice<UInt8>, end: Int, terminated: Bool)] = []
    var start = 0
    for (offset, byte) in bytes.enumerated() where byte == UInt8(ascii: "\n") {
      lines.append((bytes[start..<offset], offset + 1, true))
      start = offset + 1
    }
    if start < bytes.count { lines.append((bytes[start...], bytes.count, false)) }
    guard let first = lines.first, first.terminated else {
      throw NotebookError.truncated(path: path, size: bytes.count)
    }
    let headerBytes = Array(first.bytes)
    let object = try SessionFile.jsonObject(headerBytes, path: path)
    try SessionFile.checkFormat(object, path: path)
    let header = try SessionFile.decodeFields(HeaderLine.self, from: headerBytes, path: path)
      .header
    var session = Session(header: header)
    var validLength = first.end
    var dropped = false
    for (index, line) in lines.enumerated().dropFirst() {
      if line.bytes.allSatisfy({ $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\r") }) {
        if line.terminated { validLength = line.end }
        continue
      }
      guard line.terminated else {
        dropped = true
        break
      }
      let cell: SessionCell
      do {
        cell = try JSONDecoder().decode(CellLine.self, from: Data(line.bytes)).cell
      } catch let error as DecodingError {
        throw NotebookError.invalidJournalLine(
          path: path, line: index + 1, detail: SessionFile.describe(error))
      } catch {
        throw NotebookError.invalidJournalLine(
          path: path, line: index + 1, detail: SessionFile.describe(error))
      }
      if let last = session.cells.last, cell.number <= last.number {
        throw NotebookError.invalidJournalLine(
          path: path, line: index + 1,
          detail: "cell \(cell.number) follows cell \(last.number); cells must increase")
      }
      session.cells.append(cell)
      validLength = line.end
    }
    return Rebuilt(session: session, droppedTornLine: dropped, validLength: validLength)
  }

  // MARK: - Lines

  private static func line<T: Encodable>(_ value: T) throws -> [UInt8] {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    return Array(try encoder.encode(value)) + [UInt8(ascii: "\n")]
  }

  /// The header line: the header's fields and `"journal": true`.
  struct HeaderLine: Codable {
    var header: SessionHeader

    private enum CodingKeys: String, CodingKey { case journal }

    init(header: SessionHeader) { self.header = header }

    init(from decoder: any Decoder) throws {
      header = try SessionHeader(from: decoder)
    }

    func encode(to encoder: any Encoder) throws {
      try header.encode(to: encoder)
      var container = encoder.container(keyedBy: CodingKeys.self)
      try container.encode(true, forKey: .journal)
    }
  }

  /// A cell line: `{"cell": {…}}`.
  struct CellLine: Codable {
    var cell: SessionCell
  }
}
