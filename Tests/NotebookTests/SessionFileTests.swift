import CommandRuntime
import DurableIO
import Foundation
import Notebook
import Testing

/// Saving and loading sessions with their blobs, and every kind of bad input.
@Suite("Session files")
struct SessionFileTests {
  @Test("a saved session loads back equal, with a blob for every bound value")
  func roundTrip() throws {
    let folder = try TemporaryFolder()
    let recorder = try Fixtures.record()
    let path = folder.path + "/lesson.json"
    try recorder.save(to: path, overwrite: false)
    let loaded = try SessionFile.load(path)
    #expect(loaded.session == recorder.session)
    #expect(!loaded.fromJournal)
    #expect(loaded.blobs.folder == folder.path + "/lesson.blobs")
    let session = loaded.session
    #expect(session.header.format.description == "shears-session/3")
    #expect(session.header.options.seed == 11)
    #expect(session.cells.map(\.number) == [1, 2, 3, 4])
    #expect(session.cells.map(\.input) == Fixtures.inputs)
    // Cell 3 bound s in its first statement; its last statement (plot) bound nothing.
    #expect(session.cells[2].bound.map(\.name) == ["s"])
    #expect(session.cells[2].boundName == nil)
    #expect(session.cells[3].figures["count"] == .count(16))  // the 16 test images
    // d, m, s: each blob is named by the hash of its bytes, which is the binding's hash.
    let final = session.finalBindings
    #expect(final.map(\.value.name) == ["d", "m", "s"])
    for binding in final {
      let blob = try #require(binding.value.blob)
      let bytes = Fixtures.bytes(loaded.blobs.path(of: blob))
      #expect(ContentHash.hex(bytes) == blob)
      #expect(blob == binding.value.hash)
      #expect(session.cells[3].bindingHashes[binding.value.name] == binding.value.hash)
    }
    // The picture of `plot s` is kept as SVG.
    let pictures = session.cells[2].outputs.compactMap { output -> String? in
      if case .picture(let picture) = output { return picture.svg }
      return nil
    }
    #expect(pictures.count == 1)
    #expect(pictures.first?.contains("<svg") == true)
  }

  @Test("the file carries the format, engine, seed, options and environment")
  func header() throws {
    let folder = try TemporaryFolder()
    let path = try Fixtures.savedSession(in: folder)
    let object = try Fixtures.json(path)
    #expect(object["format"] as? String == "shears-session/3")
    #expect(object["engine"] as? String == "test")
    let options = try #require(object["options"] as? [String: Any])
    #expect(options["seed"] as? Int == 11)
    #expect(options["threads"] as? Int == 1)
    #expect(options["convolution"] as? String == "winograd")
    let environment = try #require(object["environment"] as? [String: Any])
    #expect((environment["onednn"] as? String)?.hasPrefix("2.") == true)
    #expect((environment["fingerprint"] as? String)?.count == 16)
  }

  @Test("a session from before the convolution choice (format 2) replays with direct kernels")
  func formatTwoRanDirect() throws {
    let folder = try TemporaryFolder()
    let path = try Fixtures.savedSession(in: folder)
    var object = try Fixtures.json(path)
    object["format"] = "shears-session/2"
    var options = try #require(object["options"] as? [String: Any])
    options.removeValue(forKey: "convolution")
    object["options"] = options
    try Fixtures.writeJSON(object, to: path)
    let loaded = try SessionFile.load(path)
    #expect(loaded.session.header.format.version == 2)
    #expect(loaded.session.header.options.convolution == .direct)
    #expect(loaded.session.header.options.runtimeOptions.convolution == .direct)
    // And one that names an algorithm this build does not know is refused with the field named.
    options["convolution"] = "fft"
    object["options"] = options
    try Fixtures.writeJSON(object, to: path)
    #expect(throws: (any Error).self) { try SessionFile.load(path) }
  }

  @Test("a seed above 2^53 is kept exactly")
  func largeSeed() throws {
    let options = SessionOptions(
      seed: UInt64.max - 2, threads: 2, dataLimit: 256, unicode: true, width: 100)
    let data = try JSONEncoder().encode(options)
    #expect(String(decoding: data, as: UTF8.self).contains("\"18446744073709551613\""))
    #expect(try JSONDecoder().decode(SessionOptions.self, from: data) == options)
  }

  @Test("a truncated file is reported as ending early, and restores nothing")
  func truncated() throws {
    let folder = try TemporaryFolder()
    let path = try Fixtures.savedSession(in: folder)
    let bytes = Fixtures.bytes(path)
    try Fixtures.write(Array(bytes.prefix(bytes.count / 2)), to: path)
    #expect(throws: NotebookError.truncated(path: path, size: bytes.count / 2)) {
      try SessionFile.load(path)
    }
    try Fixtures.write([], to: path)
    #expect(throws: NotebookError.truncated(path: path, size: 0)) { try SessionFile.load(path) }
    let message = NotebookError.truncated(path: path, size: 10).description
    #expect(message.contains("ends early"))
  }

  @Test("invalid JSON names the problem; valid JSON that is no session says so")
  func invalid() throws {
    let folder = try TemporaryFolder()
    let path = folder.path + "/bad.json"
    try Fixtures.write(Array("{\"format\": \"shears-session/1\", ]".utf8), to: path)
    #expect(
      throws: NotebookError.invalidJSON(
        path: path, offset: 31, detail: "a closing bracket does not match its opening one")
    ) { try SessionFile.load(path) }
    try Fixtures.write(Array("{\"format\": shears}".utf8), to: path)
    do {
      _ = try SessionFile.load(path)
      Issue.record("loaded invalid JSON")
    } catch let error as NotebookError {
      guard case .invalidJSON = error else {
        Issue.record("expected invalidJSON, got \(error)")
        return
      }
    }
    try Fixtures.write(Array("[1, 2]".utf8), to: path)
    #expect(throws: NotebookError.notASession(path: path, detail: "its JSON is not an object")) {
      try SessionFile.load(path)
    }
    try Fixtures.write(Array("{\"cells\": []}".utf8), to: path)
    #expect(throws: NotebookError.notASession(path: path, detail: "it has no \"format\" field")) {
      try SessionFile.load(path)
    }
  }

  @Test("a session from a newer format is refused before its fields are read")
  func futureFormat() throws {
    let folder = try TemporaryFolder()
    let path = folder.path + "/future.json"
    // A future session whose cells this build could not decode at all.
    try Fixtures.write(
      Array("{\"format\": \"shears-session/4\", \"cells\": {\"new\": true}}".utf8), to: path)
    #expect(throws: NotebookError.futureFormat(path: path, found: 4, supported: 3)) {
      try SessionFile.load(path)
    }
    let message = NotebookError.futureFormat(path: path, found: 4, supported: 3).description
    #expect(
      message.contains("written by a newer Shears (format 4); this build reads formats up to 3"))
  }

  @Test("a damaged field names its place")
  func damagedField() throws {
    let folder = try TemporaryFolder()
    let path = try Fixtures.savedSession(in: folder)
    var object = try Fixtures.json(path)
    var cells = try #require(object["cells"] as? [[String: Any]])
    cells[1]["status"] = "exploded"
    object["cells"] = cells
    try Fixtures.writeJSON(object, to: path)
    do {
      _ = try SessionFile.load(path)
      Issue.record("loaded a damaged session")
    } catch let error as NotebookError {
      guard case .invalidSession(_, let detail) = error else {
        Issue.record("expected invalidSession, got \(error)")
        return
      }
      #expect(detail.hasPrefix("cells[1].status"))
      #expect(detail.contains("exploded"))
    }
  }

  @Test("a missing blob is named with its binding, and nothing is restored")
  func missingBlob() throws {
    let folder = try TemporaryFolder()
    let path = try Fixtures.savedSession(in: folder)
    let loaded = try SessionFile.load(path)
    let model = try #require(loaded.session.finalBindings.first { $0.value.name == "m" })
    let blob = try #require(model.value.blob)
    try FileManager.default.removeItem(atPath: loaded.blobs.path(of: blob))
    let expected = NotebookError.missingBlob(
      hash: blob, binding: "m", cell: 2, folder: loaded.blobs.folder)
    #expect(throws: expected) { try loaded.blobs.verify(loaded.session) }
    let runtime = try Fixtures.runtime()
    #expect(throws: expected) {
      try BindingRestorer.restore(
        loaded.session, before: 5, into: runtime, blobs: loaded.blobs)
    }
    #expect(runtime.environment.names.isEmpty)
    #expect(expected.description.contains("'m'"))
  }

  @Test("a blob whose bytes no longer match its name is refused")
  func tamperedBlob() throws {
    let folder = try TemporaryFolder()
    let path = try Fixtures.savedSession(in: folder)
    let loaded = try SessionFile.load(path)
    let scores = try #require(loaded.session.finalBindings.first { $0.value.name == "s" })
    let blob = try #require(scores.value.blob)
    var bytes = Fixtures.bytes(loaded.blobs.path(of: blob))
    bytes[bytes.count / 2] ^= 0x01
    try Fixtures.write(bytes, to: loaded.blobs.path(of: blob))
    let expected = NotebookError.blobHashMismatch(
      hash: blob, actual: ContentHash.hex(bytes), binding: "s", cell: 3,
      folder: loaded.blobs.folder)
    #expect(throws: expected) { try loaded.blobs.verify(loaded.session) }
    let runtime = try Fixtures.runtime()
    #expect(throws: expected) {
      try BindingRestorer.restore(
        loaded.session, before: 5, into: runtime, blobs: loaded.blobs)
    }
    #expect(runtime.environment.names.isEmpty)
  }

  @Test("a failed save leaves the existing file untouched; save refuses to overwrite unasked")
  func failedSaveKeepsOldFile() throws {
    let folder = try TemporaryFolder()
    let path = folder.path + "/keep.json"
    let old = Array("the old session\n".utf8)
    try Fixtures.write(old, to: path)
    let recorder = try Fixtures.record()
    #expect(throws: NotebookError.exists(path: path)) {
      try recorder.save(to: path, overwrite: false)
    }
    #expect(Fixtures.bytes(path) == old)
    // A save whose blobs cannot be found fails before the JSON is replaced.
    let session = recorder.session
    let nowhere = BlobStore(folder: folder.path + "/nowhere.blobs")
    #expect(throws: NotebookError.self) {
      try SessionFile.save(session, to: path, blobsFrom: nowhere, overwrite: true)
    }
    #expect(Fixtures.bytes(path) == old)
    // No temporary file is left behind.
    let names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
    #expect(names.filter { $0.contains(".tmp-") }.isEmpty)
    try recorder.save(to: path, overwrite: true)
    #expect(try SessionFile.load(path).session == session)
  }

  @Test("restoring puts the final bindings back with their hashes and cells, running nothing")
  func restore() throws {
    let folder = try TemporaryFolder()
    let path = try Fixtures.savedSession(in: folder)
    let loaded = try SessionFile.load(path)
    let sink = CollectingSink()
    let runtime = try Runtime(
      options: loaded.session.header.options.runtimeOptions, output: sink)
    let warnings = try BindingRestorer.restore(
      loaded.session, before: 5, into: runtime, blobs: loaded.blobs)
    #expect(warnings.isEmpty)
    #expect(runtime.environment.names == ["d", "m", "s"])
    #expect(runtime.environment.hashes == loaded.session.cells[3].bindingHashes)
    #expect(runtime.environment["m"]?.cell == 2)
    #expect(runtime.cellCount == 4)
    #expect(sink.items.isEmpty)
    // The next cell is numbered 5 and uses the restored values.
    let outcome = runtime.execute("eval m on d")
    #expect(outcome.number == 5)
    #expect(outcome.figures == loaded.session.cells[3].figures)
  }
}
