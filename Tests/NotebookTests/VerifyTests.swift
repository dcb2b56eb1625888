import CommandRuntime
import Foundation
import Notebook
import Testing

/// Replay and verification: the same run matches; changed figures are caught.
@Suite("Replay and verify")
struct VerifyTests {
  /// A recorded cell with the given figures and binding hashes.
  private func cell(_ figures: Figures, hashes: [String: String] = ["x": "aa"]) -> SessionCell {
    SessionCell(
      number: 7, input: "x = something", resultType: "Scores", boundName: "x", figures: figures,
      bindingHashes: hashes)
  }

  /// A replayed outcome with the given figures and binding hashes.
  private func outcome(_ figures: Figures, hashes: [String: String] = ["x": "aa"]) -> CellOutcome {
    CellOutcome(
      number: 7, input: "x = something", resultType: "Scores", boundName: "x", figures: figures,
      bindingHashes: hashes)
  }

  @Test("replaying a recorded session on the same machine matches bit for bit")
  func sameRunPasses() throws {
    let recorder = try Fixtures.record()
    let runtime = try Runtime(
      options: recorder.session.header.options.runtimeOptions, output: CollectingSink())
    let replayer = Replayer(session: recorder.session, blobs: BlobStore(folder: "/nonexistent"))
    var finished: [Int] = []
    let report = try replayer.run(on: runtime, verify: true) { event in
      if case .finished(let cell, let outcome, let divergence) = event {
        #expect(divergence == nil)
        #expect(outcome.number == cell.number)
        finished.append(cell.number)
      }
    }
    #expect(report.divergence == nil)
    #expect(report.ran == 4)
    #expect(finished == [1, 2, 3, 4])
  }

  @Test("a hand-edited accuracy fails, naming the cell, the figure and both values")
  func editedFloatFails() throws {
    let folder = try TemporaryFolder()
    let path = try Fixtures.savedSession(in: folder)
    var object = try Fixtures.json(path)
    var cells = try #require(object["cells"] as? [[String: Any]])
    var figures = try #require(cells[3]["figures"] as? [[String: Any]])
    let index = try #require(figures.firstIndex { $0["name"] as? String == "accuracy" })
    let recorded = try #require(figures[index]["float"] as? Double)
    figures[index]["float"] = 0.99
    cells[3]["figures"] = figures
    object["cells"] = cells
    try Fixtures.writeJSON(object, to: path)
    let report = try Fixtures.replaySaved(path)
    let divergence = try #require(report.divergence)
    #expect(divergence.cell == 4)
    #expect(divergence.input == "eval m on d")
    #expect(divergence.subject == "figure accuracy")
    #expect(divergence.recorded == "0.99")
    #expect(divergence.replayed == "\(recorded)")
    #expect(report.ran == 4)
    #expect(
      divergence.description
        == "cell 4 diverges: eval m on d\n  figure accuracy: recorded 0.99, replayed \(recorded)")
  }

  @Test("--from restores the bindings before the cell and replays from there")
  func fromCell() throws {
    let folder = try TemporaryFolder()
    let path = try Fixtures.savedSession(in: folder)
    let loaded = try SessionFile.load(path)
    let runtime = try Runtime(
      options: loaded.session.header.options.runtimeOptions, output: CollectingSink())
    var started: [Int] = []
    let report = try Replayer(session: loaded.session, blobs: loaded.blobs)
      .run(on: runtime, from: 3, verify: true) { event in
        if case .starting(let cell) = event { started.append(cell.number) }
      }
    #expect(report.divergence == nil)
    #expect(started == [3, 4])
    #expect(throws: NotebookError.noSuchCell(number: 9, count: 4)) {
      try Replayer(session: loaded.session, blobs: loaded.blobs)
        .run(on: try Fixtures.runtime(), from: 9, verify: true)
    }
  }

  @Test("a tolerance lets a small float change pass, but not a larger one")
  func tolerance() {
    let recorded = cell(Figures([("accuracy", .float(0.5)), ("loss", .float(1.25))]))
    let replayed = outcome(Figures([("accuracy", .float(0.5000001)), ("loss", .float(1.25))]))
    #expect(Divergence.first(recorded: recorded, replayed: replayed, tolerance: 1e-6) == nil)
    let exact = Divergence.first(recorded: recorded, replayed: replayed, tolerance: 0)
    #expect(exact?.subject == "figure accuracy")
    #expect(exact?.recorded == "0.5")
    #expect(exact?.replayed == "0.5000001")
    let far = outcome(Figures([("accuracy", .float(0.51)), ("loss", .float(1.25))]))
    #expect(Divergence.first(recorded: recorded, replayed: far, tolerance: 1e-6) != nil)
  }

  @Test("index sets, counts and hashes must match exactly, whatever the tolerance")
  func exactKinds() {
    let recorded = cell(
      Figures([("lowest.features.0.conv", .indices([3, 1, 0])), ("filters", .count(112))]))
    let swapped = outcome(
      Figures([("lowest.features.0.conv", .indices([1, 3, 0])), ("filters", .count(112))]))
    let divergence = Divergence.first(recorded: recorded, replayed: swapped, tolerance: 0.5)
    #expect(divergence?.subject == "figure lowest.features.0.conv")
    #expect(divergence?.recorded == "[3, 1, 0]")
    #expect(divergence?.replayed == "[1, 3, 0]")
    let count = outcome(
      Figures([("lowest.features.0.conv", .indices([3, 1, 0])), ("filters", .count(113))]))
    #expect(
      Divergence.first(recorded: recorded, replayed: count, tolerance: 0.5)?.subject
        == "figure filters")
    let same = outcome(
      Figures([("lowest.features.0.conv", .indices([3, 1, 0])), ("filters", .count(112))]),
      hashes: ["x": "ab"])
    let hash = Divergence.first(recorded: recorded, replayed: same, tolerance: 0.5)
    #expect(hash?.subject == "binding x")
    #expect(hash?.recorded == "#aa")
    #expect(hash?.replayed == "#ab")
  }

  @Test("a missing or extra figure, a changed status or type diverges")
  func structure() {
    let recorded = cell(Figures([("a", .count(1))]))
    let missing = Divergence.first(
      recorded: recorded, replayed: outcome(Figures()), tolerance: 0)
    #expect(missing?.replayed == "(no such figure)")
    let extra = Divergence.first(
      recorded: recorded, replayed: outcome(Figures([("a", .count(1)), ("b", .count(2))])),
      tolerance: 0)
    #expect(extra?.subject == "figure b")
    var failed = outcome(Figures([("a", .count(1))]))
    failed.status = .error(.runtime, "eval: boom\nmore")
    let status = Divergence.first(recorded: recorded, replayed: failed, tolerance: 0)
    #expect(status?.subject == "status")
    #expect(status?.recorded == "ok")
    #expect(status?.replayed == "runtime error (eval: boom)")
    var retyped = outcome(Figures([("a", .count(1))]))
    retyped.resultType = "Model"
    #expect(
      Divergence.first(recorded: recorded, replayed: retyped, tolerance: 0)?.subject
        == "result type")
  }

  @Test("an interrupted cell replays up to where it stopped; a figure forged into it fails")
  func interruptedReplaysToItsStop() throws {
    let recorder = try Fixtures.record(Array(Fixtures.inputs.prefix(2)))
    // Ctrl-C while the cell runs: statement 0 binds x, the stop is seen before statement 1.
    recorder.runtime.shouldStop = { true }
    let (stopped, _) = recorder.execute("x = 7\ny = 8")
    recorder.runtime.shouldStop = { false }
    #expect(stopped.status == .interrupted)
    #expect(stopped.stoppedAt == 1)
    _ = recorder.execute("s = score m by random")
    let session = recorder.session
    #expect(session.cells[2].bindingHashes["x"] != nil)
    #expect(session.cells[2].bindingHashes["y"] == nil)

    func replay(_ session: Session) throws -> Replayer.Report {
      let runtime = try Runtime(
        options: session.header.options.runtimeOptions, output: CollectingSink())
      return try Replayer(session: session, blobs: BlobStore(folder: "/nonexistent"))
        .run(on: runtime, verify: true)
    }
    let report = try replay(session)
    #expect(report.divergence == nil)
    #expect(report.ran == 4)
    #expect(report.interrupted == 1)

    // A figure written into the interrupted cell (re-sealed, as a forger would) is caught.
    var forged = session
    forged.cells[2].figures.append("accuracy", .float(0.99))
    SessionChain.seal(&forged)
    let divergence = try #require(try replay(forged).divergence)
    #expect(divergence.cell == 3)
    #expect(divergence.subject == "figure accuracy")
    #expect(divergence.recorded == "0.99")
    #expect(divergence.replayed == "(no such figure)")
  }
}
