import CommandRuntime
import DurableIO
import Foundation

/// Runs cells on a runtime and records them as a session: each finished cell's outputs,
/// figures and the values it bound. With a ``Journal`` every cell is on disk when
/// ``execute(_:)`` returns (its blobs first, then its line, each flushed); without one the
/// blobs are kept in memory until ``save(to:overwrite:)``.
///
/// The recorder puts a ``CapturingSink`` in front of the runtime's output, so what the cells
/// show still reaches the terminal.
///
/// ```swift
/// let recorder = try SessionRecorder(runtime: runtime, engine: "0.1.0", journal: journal)
/// let (outcome, warnings) = recorder.execute("d = data synthetic classes=4 size=8 count=64")
/// try recorder.save(to: "lesson.json", overwrite: true)
/// ```
public final class SessionRecorder {
  /// The runtime the cells run on.
  public let runtime: Runtime
  /// The session so far.
  public private(set) var session: Session
  /// The journal, while journaling works.
  public private(set) var journal: Journal?
  /// Where the blobs of earlier cells are (a loaded session's folder, or the journal's).
  private(set) var blobSource: BlobStore?
  private var memory: [String: [UInt8]] = [:]
  private let capture: CapturingSink

  /// Starts recording a new session on `runtime` (which should have run nothing yet).
  ///
  /// - Parameters:
  ///   - engine: the Shears version recorded in the header.
  ///   - journal: where each finished cell goes (nil: memory only).
  public convenience init(runtime: Runtime, engine: String, journal: Journal? = nil) {
    self.init(
      runtime: runtime,
      header: SessionHeader(
        engine: engine, options: SessionOptions(runtime.options), environment: .current()),
      journal: journal)
  }

  /// Starts recording a new session with `header` (the one its journal starts with).
  public init(runtime: Runtime, header: SessionHeader, journal: Journal?) {
    self.runtime = runtime
    self.journal = journal
    self.blobSource = journal?.blobs
    self.session = Session(header: header)
    self.capture = CapturingSink(
      forwardingTo: runtime.output, style: runtime.options.recordStyle)
    runtime.output = capture
  }

  /// Continues a loaded session on `runtime` (made with the session's options): restores its
  /// final bindings from `blobs` without running anything, and numbers new cells after its
  /// last. With a `journal` that is not the session's own, the earlier cells (and their blobs)
  /// are copied into it first.
  ///
  /// - Returns: the recorder and warnings about bindings that could not be restored.
  public static func resuming(
    _ loaded: Session, blobs: BlobStore, runtime: Runtime, journal: Journal?,
    journalHoldsCells: Bool = false
  ) throws -> (SessionRecorder, [String]) {
    let warnings = try BindingRestorer.restore(
      loaded, before: loaded.lastNumber + 1, into: runtime, blobs: blobs)
    let recorder = SessionRecorder(runtime: runtime, header: loaded.header, journal: nil)
    recorder.session = loaded
    recorder.blobSource = blobs
    if let journal {
      if !journalHoldsCells {
        for binding in loaded.allBindings {
          guard let hash = binding.value.blob else { continue }
          try journal.blobs.copy(hash, from: blobs, binding: binding.value.name, cell: binding.cell)
        }
        for cell in loaded.cells { try journal.append(cell) }
      }
      recorder.journal = journal
      recorder.blobSource = journal.blobs
    }
    return (recorder, warnings)
  }

  /// Runs `source` as the next cell and records it.
  ///
  /// - Returns: the outcome, and warnings when the journal could not be written (journaling
  ///   then stops and the session is kept in memory).
  public func execute(_ source: String) -> (CellOutcome, warnings: [String]) {
    _ = capture.take()
    let outcome = runtime.execute(source)
    var warnings: [String] = []
    var bound: [BoundValue] = []
    for binding in runtime.environment.bindings where binding.cell == outcome.number {
      bound.append(store(binding, warnings: &warnings))
    }
    var cell = SessionCell(outcome, outputs: capture.take(), bound: bound)
    cell.chain = SessionChain.link(
      cell, after: session.cells.last?.chain, header: session.header)
    session.cells.append(cell)
    if let journal {
      do {
        try journal.append(cell)
      } catch {
        warnings.append(
          "the journal \(journal.path) cannot be written (\(error)); "
            + "this session is no longer journaled — :save it")
        stopJournaling()
      }
    }
    return (outcome, warnings)
  }

  /// Records narration (Markdown) as a text cell after the last cell: nothing runs, nothing
  /// is drawn from any generator, and the bindings stay as they are, so no later figure
  /// changes; the runtime's next cell is numbered after it.
  ///
  /// - Returns: warnings when the journal could not be written.
  public func note(_ text: String) -> [String] {
    let number = max(session.lastNumber, runtime.cellCount) + 1
    runtime.continueNumbering(after: number)
    var cell = SessionCell(
      number: number, input: text, status: SessionCell.textStatus,
      bindingHashes: runtime.environment.hashes)
    cell.chain = SessionChain.link(cell, after: session.cells.last?.chain, header: session.header)
    session.cells.append(cell)
    guard let journal else { return [] }
    do {
      try journal.append(cell)
      return []
    } catch {
      stopJournaling()
      return [
        "the journal \(journal.path) cannot be written (\(error)); "
          + "this session is no longer journaled — :save it"
      ]
    }
  }

  /// Writes the session to `path` (blobs, then the JSON atomically).
  public func save(to path: String, overwrite: Bool) throws {
    try SessionFile.save(
      session, to: path, blobsFrom: blobSource, memory: memory, overwrite: overwrite)
  }

  /// Archives a binding into a blob (the journal's folder or memory).
  private func store(_ binding: Binding, warnings: inout [String]) -> BoundValue {
    let type = binding.value.type.description
    let bytes: [UInt8]
    do {
      bytes = try binding.value.archive()
    } catch {
      return BoundValue(
        name: binding.name, type: type, hash: binding.hash, blob: nil,
        problem: "it cannot be archived: \(error)")
    }
    let hash = ContentHash.hex(bytes)
    if let journal {
      do {
        try journal.blobs.put(bytes, hash: hash)
      } catch {
        warnings.append(
          "the journal's blob folder \(journal.blobs.folder) cannot be written "
            + "(\(error)); this session is no longer journaled — :save it")
        stopJournaling()
        memory[hash] = bytes
      }
    } else {
      memory[hash] = bytes
    }
    return BoundValue(
      name: binding.name, type: type, hash: binding.hash, blob: hash, size: bytes.count)
  }

  private func stopJournaling() {
    journal = nil
  }
}
