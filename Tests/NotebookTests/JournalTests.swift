import CommandRuntime
import Foundation
import Notebook
import Testing

/// The journal: each finished cell on disk as one line, rebuilt into a session.
@Suite("Journals")
struct JournalTests {
  private func header() -> SessionHeader {
    SessionHeader(
      engine: "test",
      options: SessionOptions(seed: 11, threads: 1, dataLimit: nil, unicode: false, width: 80),
      environment: .current())
  }

  @Test("every finished cell is a line on disk, blobs first; the journal rebuilds the session")
  func appendAndRebuild() throws {
    let folder = try TemporaryFolder()
    let path = folder.path + "/run.journal"
    let journal = try Journal.create(at: path, header: header())
    let recorder = try Fixtures.record(Array(Fixtures.inputs.prefix(2)), journal: journal)
    // Two cells: the header line and one line per cell, each ending in a newline.
    let text = String(decoding: Fixtures.bytes(path), as: UTF8.self)
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    #expect(lines.count == 4)
    #expect(lines.last == "")
    #expect(lines[0].contains("\"journal\":true"))
    #expect(lines[1].hasPrefix("{\"cell\":{"))
    // The blobs are in run.blobs beside it.
    for binding in recorder.session.allBindings {
      #expect(journal.blobs.contains(try #require(binding.value.blob)))
    }
    #expect(journal.blobs.folder == folder.path + "/run.blobs")
    let loaded = try SessionFile.load(path)
    #expect(loaded.fromJournal)
    #expect(!loaded.droppedTornLine)
    #expect(loaded.session.cells == recorder.session.cells)
    #expect(loaded.session.header.options.seed == 11)
    // A journal is a session like any other: it saves as one.
    try SessionFile.save(loaded.session, to: folder.path + "/run.json", blobsFrom: loaded.blobs)
    #expect(try SessionFile.load(folder.path + "/run.json").session.cells == loaded.session.cells)
  }

  @Test("a last line cut short by a kill is left out; opening the journal cuts it off")
  func tornLastLine() throws {
    let folder = try TemporaryFolder()
    let path = folder.path + "/torn.journal"
    let journal = try Journal.create(at: path, header: header())
    _ = try Fixtures.record(Array(Fixtures.inputs.prefix(2)), journal: journal)
    let whole = Fixtures.bytes(path)
    try Fixtures.write(whole + Array("{\"cell\":{\"number\":3,\"inp".utf8), to: path)
    let loaded = try SessionFile.load(path)
    #expect(loaded.droppedTornLine)
    #expect(loaded.session.cells.map(\.number) == [1, 2])
    let (reopened, again) = try Journal.open(at: path)
    #expect(again.session.cells.count == 2)
    #expect(Fixtures.bytes(path) == whole)
    // Appending after the cut gives a clean journal.
    try reopened.append(SessionCell(number: 3, input: ":vars"))
    let after = try SessionFile.load(path)
    #expect(after.session.cells.map(\.number) == [1, 2, 3])
    #expect(!after.droppedTornLine)
  }

  @Test("a damaged line in the middle names its line number")
  func damagedMiddleLine() throws {
    let folder = try TemporaryFolder()
    let path = folder.path + "/bad.journal"
    let journal = try Journal.create(at: path, header: header())
    _ = try Fixtures.record(Array(Fixtures.inputs.prefix(2)), journal: journal)
    var lines = String(decoding: Fixtures.bytes(path), as: UTF8.self)
      .split(separator: "\n").map(String.init)
    lines[1] = "{\"cell\": 42}"
    try Fixtures.write(Array((lines.joined(separator: "\n") + "\n").utf8), to: path)
    do {
      _ = try SessionFile.load(path)
      Issue.record("loaded a damaged journal")
    } catch let error as NotebookError {
      guard case .invalidJournalLine(let file, let line, _) = error else {
        Issue.record("expected invalidJournalLine, got \(error)")
        return
      }
      #expect(file == path)
      #expect(line == 2)
    }
  }

  @Test("a journal from a newer format is refused; an existing journal is never overwritten")
  func futureAndExisting() throws {
    let folder = try TemporaryFolder()
    let path = folder.path + "/future.journal"
    try Fixtures.write(
      Array("{\"format\":\"shears-session/4\",\"journal\":true}\n{\"cell\":{}}\n".utf8), to: path)
    #expect(throws: NotebookError.futureFormat(path: path, found: 4, supported: 3)) {
      try SessionFile.load(path)
    }
    let before = Fixtures.bytes(path)
    #expect(throws: NotebookError.exists(path: path)) {
      try Journal.create(at: path, header: header())
    }
    #expect(Fixtures.bytes(path) == before)
  }

  @Test("resuming restores the bindings and numbers new cells after the last")
  func resume() throws {
    let folder = try TemporaryFolder()
    let path = try Fixtures.savedSession(in: folder)
    let loaded = try SessionFile.load(path)
    let runtime = try Runtime(
      options: loaded.session.header.options.runtimeOptions, output: CollectingSink())
    let journalPath = folder.path + "/more.journal"
    let journal = try Journal.create(at: journalPath, header: loaded.session.header)
    let (recorder, warnings) = try SessionRecorder.resuming(
      loaded.session, blobs: loaded.blobs, runtime: runtime, journal: journal)
    #expect(warnings.isEmpty)
    #expect(runtime.environment.names == ["d", "m", "s"])
    let (outcome, _) = recorder.execute("n = 3")
    #expect(outcome.number == 5)
    // The new journal holds the earlier cells (with their blobs) and the new one.
    let continued = try SessionFile.load(journalPath)
    #expect(continued.session.cells.map(\.number) == [1, 2, 3, 4, 5])
    try continued.blobs.verify(continued.session)
  }
}
