import CommandRuntime
import Foundation
import Notebook
import Pruning
import Testing

/// A recorded `profile` keeps its latency model with the cell, and a replay restores it
/// instead of measuring: the model, and the `target=latency` plan made from it, replay bit for
/// bit; an edited model fails verification naming the profile cell; a cell recorded before
/// models were kept measures again, with a warning.
@Suite("Latency model replay")
struct LatencyReplayTests {
  static let inputs =
    Fixtures.inputs.prefix(2) + [
      "lat = profile m batch=2 points=1 repeats=1 cache=false",
      "p = plan m by l1 ratio=20% alloc=global target=latency latency=lat",
      "show p",
    ]

  /// The number of the profile cell (the third).
  static let profileCell = 3

  /// The model `lat` of a runtime.
  static func latency(_ runtime: Runtime) throws -> LatencyModel {
    try #require(runtime.environment["lat"]?.value as? LatencyValue).model
  }

  @Test("the profile cell records its model; the replay restores it exactly and verifies")
  func replayRestores() throws {
    let recorder = try Fixtures.record(Array(Self.inputs))
    let cell = try #require(recorder.session.cell(Self.profileCell))
    #expect(cell.measurements.count == 1)
    let measurement = try #require(cell.measurements.first)
    #expect(measurement.statement == 0 && measurement.command == "profile")
    let recorded = try Self.latency(recorder.runtime)
    #expect(try LatencyValue.unarchive(measurement.bytes).model == recorded)
    // Only the profile cell measures.
    #expect(recorder.session.cells.filter { !$0.measurements.isEmpty }.count == 1)

    let runtime = try Runtime(
      options: recorder.session.header.options.runtimeOptions, output: CollectingSink())
    let report = try Replayer(session: recorder.session, blobs: BlobStore(folder: "/nonexistent"))
      .run(on: runtime, verify: true)
    #expect(report.divergence == nil, "\(String(describing: report.divergence))")
    #expect(report.ran == Self.inputs.count)
    // Every time, the whole network's included, is the recorded one: two measurements of the
    // network's inference step never agree to the last bit.
    #expect(try Self.latency(runtime) == recorded)
    let plan = try #require(runtime.environment["p"]?.value as? PlanValue)
    let original = try #require(recorder.runtime.environment["p"]?.value as? PlanValue)
    #expect(plan.plan == original.plan)
  }

  /// The recorded session with the profile cell's model replaced by `edit` of it, the chain
  /// resealed (as a tool that knows the chain would) when `reseal`.
  static func session(
    editing edit: (inout LatencyModel) -> Void, reseal: Bool
  ) throws -> (Session, LatencyModel) {
    var session = try Fixtures.record(Array(Self.inputs)).session
    let index = try #require(session.cells.firstIndex { $0.number == Self.profileCell })
    var model = try LatencyValue.unarchive(session.cells[index].measurements[0].bytes).model
    edit(&model)
    let archive = try LatencyValue(model: model).archive()
    session.cells[index].measurements[0].archive = String(decoding: archive, as: UTF8.self)
    if reseal { SessionChain.seal(&session) }
    return (session, model)
  }

  @Test("a replay takes the recorded model and measures nothing")
  func replayDoesNotMeasure() throws {
    // Times no measurement gives: every grid cell exactly 1 ms, the network 0.5 s.
    let (session, planted) = try Self.session(
      editing: { model in
        for key in model.layers.keys {
          let layer = model.layers[key]!
          model.layers[key]!.seconds = layer.seconds.map { $0.map { _ in 0.001 } }
        }
        model.measuredSeconds = 0.5
        model.otherSeconds = 0.25
      }, reseal: true)
    let sink = CollectingSink()
    let runtime = try Runtime(options: session.header.options.runtimeOptions, output: sink)
    let report = try Replayer(session: session, blobs: BlobStore(folder: "/nonexistent"))
      .run(on: runtime, verify: false)
    #expect(report.ran == Self.inputs.count)
    let restored = try Self.latency(runtime)
    #expect(restored == planted)
    #expect(restored.measuredSeconds == 0.5 && restored.otherSeconds == 0.25)
    #expect(restored.layers.values.allSatisfy { $0.seconds.joined().allSatisfy { $0 == 0.001 } })
    #expect(sink.updates.contains { $0.label.hasPrefix("restored as recorded") })
    #expect(!sink.updates.contains { $0.label.hasPrefix("shape ") || $0.label == "profiled" })
  }

  @Test("what the profiler noticed while measuring is said again when the model is restored")
  func notesAreSaidAgain() throws {
    let note = "the latency grids just measured added up to 9 ms …: measured them again"
    let (session, planted) = try Self.session(editing: { $0.notes = [note] }, reseal: true)
    let sink = CollectingSink()
    let runtime = try Runtime(options: session.header.options.runtimeOptions, output: sink)
    _ = try Replayer(session: session, blobs: BlobStore(folder: "/nonexistent"))
      .run(on: runtime, verify: false)
    #expect(try Self.latency(runtime) == planted)
    let warnings = sink.items.compactMap { item -> String? in
      if case .warning(let text) = item { return text }
      return nil
    }
    // The profile cell's warning, before the plan's own.
    #expect(warnings.first == note && warnings.filter { $0 == note }.count == 1, "\(warnings)")
  }

  @Test("an edited latency model fails verification at the profile cell")
  func editedModelFails() throws {
    let folder = try TemporaryFolder()
    let path = folder.path + "/latency.json"
    try Fixtures.record(Array(Self.inputs)).save(to: path, overwrite: false)
    var object = try Fixtures.json(path)
    var cells = try #require(object["cells"] as? [[String: Any]])
    let index = Self.profileCell - 1
    var measurements = try #require(cells[index]["measurements"] as? [[String: Any]])
    let text = try #require(measurements[0]["archive"] as? String)
    var model = try #require(
      try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    let measured = try #require(model["measuredSeconds"] as? Double)
    model["measuredSeconds"] = measured * 2
    measurements[0]["archive"] = String(
      decoding: try JSONSerialization.data(withJSONObject: model, options: [.sortedKeys]),
      as: UTF8.self)
    cells[index]["measurements"] = measurements
    object["cells"] = cells
    try Fixtures.writeJSON(object, to: path)
    let report = try Fixtures.replaySaved(path)
    let divergence = try #require(report.divergence)
    #expect(divergence.cell == Self.profileCell)
    #expect(divergence.input.hasPrefix("lat = profile"))
    #expect(divergence.subject == "binding lat", "\(divergence)")
  }

  @Test("an edited model whose chain was resealed still fails: its binding differs")
  func resealedEditFails() throws {
    let (session, _) = try Self.session(
      editing: { $0.measuredSeconds *= 3 }, reseal: true)
    let report = try Fixtures.replay(session)
    let divergence = try #require(report.divergence)
    #expect(divergence.cell == Self.profileCell)
    #expect(divergence.subject == "binding lat", "\(divergence)")
  }

  @Test("a model recorded for another network is refused, naming the edit")
  func foreignModelRefused() throws {
    let (session, _) = try Self.session(
      editing: { $0.fingerprint = "0000000000000000" }, reseal: true)
    let report = try Fixtures.replay(session)
    let divergence = try #require(report.divergence)
    #expect(divergence.cell == Self.profileCell)
    #expect(divergence.replayed.contains("edited after it was recorded"), "\(divergence)")
  }

  @Test("a session recorded before models were kept replays by measuring, with a warning")
  func oldSessionMeasures() throws {
    var session = try Fixtures.record(Array(Self.inputs)).session
    for index in session.cells.indices { session.cells[index].measurements = [] }
    SessionChain.seal(&session)
    // Such a cell's JSON has no measurements field, as before.
    let cell = try #require(session.cell(Self.profileCell))
    let json = String(decoding: try JSONEncoder().encode(cell), as: UTF8.self)
    #expect(!json.contains("measurements"))
    let sink = CollectingSink()
    let runtime = try Runtime(options: session.header.options.runtimeOptions, output: sink)
    let report = try Replayer(session: session, blobs: BlobStore(folder: "/nonexistent"))
      .run(on: runtime, verify: false)
    #expect(report.ran == Self.inputs.count)
    #expect(report.statusChanges.isEmpty)
    #expect(sink.updates.contains { $0.label == "profiled" })
    let warned = sink.items.contains { item in
      if case .warning(let text) = item { return text.contains("recorded no latency model") }
      return false
    }
    #expect(warned)
  }

  @Test("a saved session keeps the model through its file, its chain intact")
  func savedAndLoaded() throws {
    let folder = try TemporaryFolder()
    let path = folder.path + "/latency.json"
    let recorder = try Fixtures.record(Array(Self.inputs))
    try recorder.save(to: path, overwrite: false)
    let loaded = try SessionFile.load(path)
    #expect(
      loaded.session.cell(Self.profileCell)?.measurements
        == recorder.session.cell(Self.profileCell)?.measurements)
    #expect(SessionChain.firstBreak(in: loaded.session) == nil)
  }
}

/// `compare … latency=` shows the latency model's prediction error against a measured speed:
/// a replay compares everything else of the table, never that row.
@Suite("Measured rows of a comparison")
struct MeasuredRowTests {
  /// A compare table with `accuracy` and `error` in its accuracy and prediction-error rows.
  static func table(accuracy: String, error: String) -> CellOutput {
    .table(
      CellOutput.TableRecord(
        title: "before / after",
        columns: ["figure", "kind", "before", "after", "change"].map {
          CellOutput.TableRecord.Column(header: $0, numeric: $0 != "figure" && $0 != "kind")
        },
        rows: [
          ["accuracy", "measured", "90.00%", accuracy, "-1.00 pp"],
          ["images/s (batch 128)", "measured", "681", "781", "×1.15"],
          ["prediction error", "predicted/measured − 1", "-10.6%", error, ""],
        ]))
  }

  static func cell(_ output: CellOutput) -> SessionCell {
    SessionCell(
      number: 1, input: "compare m m2 on d latency=lat",
      renderedText: output.render(style: .plain), outputs: [output])
  }

  @Test("a different prediction error is a timing; a different accuracy is a divergence")
  func predictionErrorIsATiming() {
    let recorded = Self.cell(Self.table(accuracy: "89.00%", error: "-12.0%"))
    #expect(
      Divergence.firstShown(
        recorded: recorded, replayed: [Self.table(accuracy: "89.00%", error: "63.8%")],
        style: .plain) == nil)
    let divergence = Divergence.firstShown(
      recorded: recorded, replayed: [Self.table(accuracy: "88.00%", error: "-12.0%")],
      style: .plain)
    #expect(divergence?.subject == "shown output 1")
  }
}
