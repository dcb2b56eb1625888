import CommandRuntime
import Foundation
import Notebook
import Testing

/// A recorded blend (and a uniform blend, and an eval with recalibration) replays bit for bit;
/// an edited α fails verification naming the cell; a blend stopped by Ctrl-C replays to where
/// it stopped, and an edited stop point fails.
@Suite("Blend replay")
struct BlendReplayTests {
  static let inputs =
    Fixtures.inputs.prefix(2) + [
      "sim = similarity m by [l1, fpgm, bn] batches=1 batch=16",
      "k = cluster sim k=2",
      "b = blend m from k on d population=5 generations=2 elites=1 images=24 recalibrate=16",
      "p = plan m by b ratio=50%",
      "u = blend m from k on d search=uniform images=24 recalibrate=16",
      "e = eval (prune m with (plan m by u ratio=50%)) on d recalibrate=32",
    ]

  @Test("replaying a recorded blend verifies every figure and binding")
  func replayVerifies() throws {
    let recorder = try Fixtures.record(Array(Self.inputs))
    let report = try Fixtures.replay(recorder.session)
    #expect(report.divergence == nil)
    #expect(report.ran == Self.inputs.count)
  }

  @Test("an edited α fails verification, naming the blend cell and the α")
  func editedAlphaFails() throws {
    let folder = try TemporaryFolder()
    let path = folder.path + "/blend.json"
    try Fixtures.record(Array(Self.inputs)).save(to: path, overwrite: false)
    var object = try Fixtures.json(path)
    var cells = try #require(object["cells"] as? [[String: Any]])
    let index = try #require(
      cells.firstIndex { ($0["input"] as? String)?.hasPrefix("b = blend") == true })
    var figures = try #require(cells[index]["figures"] as? [[String: Any]])
    let alpha = try #require(
      figures.firstIndex { ($0["name"] as? String)?.hasPrefix("alpha.") == true })
    let name = try #require(figures[alpha]["name"] as? String)
    let recorded = try #require(figures[alpha]["float"] as? Double)
    figures[alpha]["float"] = recorded > 0.5 ? 0.125 : 0.875
    cells[index]["figures"] = figures
    object["cells"] = cells
    try Fixtures.writeJSON(object, to: path)
    let loaded = try SessionFile.load(path)
    let runtime = try Runtime(
      options: loaded.session.header.options.runtimeOptions, output: CollectingSink())
    let report = try Replayer(session: loaded.session, blobs: loaded.blobs)
      .run(on: runtime, verify: true)
    let divergence = try #require(report.divergence)
    #expect(divergence.cell == index + 1)
    #expect(divergence.input.hasPrefix("b = blend"))
    #expect(divergence.subject == "figure \(name)")
  }

  /// The inputs of the stopped blend: three generations, so that a stop as generation 2
  /// starts is an early one.
  static let stopInputs =
    Fixtures.inputs.prefix(2) + [
      "sim = similarity m by [l1, fpgm, bn] batches=1 batch=16",
      "k = cluster sim k=2",
      "b = blend m from k on d population=5 generations=3 elites=1 images=24 recalibrate=16",
      "p = plan m by b ratio=50%",
    ]

  /// Records the stop inputs with a stop request (Ctrl-C) raised as soon as the blend's
  /// progress bar shows generation 2.
  static func recordStopped() throws -> SessionRecorder {
    let runtime = try Fixtures.runtime()
    let sink = try #require(runtime.output as? CollectingSink)
    var armed = false
    runtime.shouldStop = {
      armed && sink.updates.contains { $0.label.hasPrefix("generation 2/") }
    }
    let recorder = SessionRecorder(runtime: runtime, engine: "test", journal: nil)
    for input in Self.stopInputs {
      armed = input.hasPrefix("b = blend")
      let (outcome, warnings) = recorder.execute(input)
      #expect(warnings.isEmpty, "\(warnings)")
      #expect(outcome.status == .ok, "\(input): \(outcome.renderedText)")
    }
    return recorder
  }

  @Test("a blend stopped before it measured anything is an interrupted cell that binds nothing")
  func blendStoppedAtOnceIsInterrupted() throws {
    let runtime = try Fixtures.runtime()
    // Stop from the blend's first poll of its search on: the runtime polls once before the
    // statement runs, the search before it measures its first individual.
    var armed = false
    var polls = 0
    runtime.shouldStop = {
      guard armed else { return false }
      polls += 1
      return polls > 1
    }
    let recorder = SessionRecorder(runtime: runtime, engine: "test", journal: nil)
    for input in Self.stopInputs.dropLast() {
      armed = input.hasPrefix("b = blend")
      let (outcome, _) = recorder.execute(input)
      if armed {
        #expect(outcome.status == .interrupted, "\(outcome.renderedText)")
        #expect(!outcome.renderedText.contains("invalid blend option"))
      } else {
        #expect(outcome.status == .ok, "\(input): \(outcome.renderedText)")
      }
    }
    #expect(polls > 1)
    #expect(runtime.environment["b"] == nil)
    #expect(runtime.environment["k"] != nil)
  }

  @Test("a blend stopped by Ctrl-C records where it stopped, and its replay verifies")
  func stoppedBlendReplays() throws {
    let recorder = try Self.recordStopped()
    let cell = try #require(recorder.session.cells.first { $0.input.hasPrefix("b = blend") })
    #expect(cell.figures["blend.stopped"] == .text("yes"))
    // The bar shows generation 2 before generation 1 (from 0) measures anything; the next poll
    // is either before its first evaluation or, when all of it came from the cache, the one
    // between generations 1 and 2: position [1, 0] either way. Generation 0 was done in full.
    #expect(cell.earlyStops == [EarlyStop(statement: 0, position: [1, 0])])
    #expect(cell.figures["blend.stoppedAt"] == .indices([1, 0]))
    #expect(cell.figures["blend.evaluations"] != .count(15))
    #expect(cell.renderedText.contains("stopped early"))
    let report = try Fixtures.replay(recorder.session)
    #expect(report.divergence == nil, "\(String(describing: report.divergence))")
    #expect(report.ran == Self.stopInputs.count)
  }

  @Test("a stopped blend whose stop point was edited fails verification at the blend cell")
  func editedStopPointFails() throws {
    let folder = try TemporaryFolder()
    let path = folder.path + "/stopped.json"
    try Self.recordStopped().save(to: path, overwrite: false)
    var object = try Fixtures.json(path)
    var cells = try #require(object["cells"] as? [[String: Any]])
    let index = try #require(
      cells.firstIndex { ($0["input"] as? String)?.hasPrefix("b = blend") == true })
    var stops = try #require(cells[index]["earlyStops"] as? [[String: Any]])
    #expect(stops.count == 1)
    stops[0]["position"] = [0, 3]
    cells[index]["earlyStops"] = stops
    object["cells"] = cells
    try Fixtures.writeJSON(object, to: path)
    let report = try Fixtures.replaySaved(path)
    let divergence = try #require(report.divergence)
    #expect(divergence.cell == index + 1)
    // The replay stopped where the edit says, so the blend itself differs (its figures are
    // compared before the cell's chain link).
    #expect(divergence.subject.hasPrefix("figure"), "\(divergence.subject)")
  }

  @Test("a Markdown export draws a Clusters value's dendrogram as SVG brackets, one per merge")
  func exportedDendrogram() throws {
    let recorder = try Fixtures.record(Array(Self.inputs.prefix(4)) + ["show k"])
    let document = NotebookExporter(session: recorder.session, title: "clusters")
      .markdown(pictureFolder: "clusters.export")
    let svgs = document.files.map(\.contents).filter { $0.contains("class=\"merge\"") }
    // cluster shows its value, and show k again: one dendrogram each.
    #expect(svgs.count == 2)
    // Three criteria, two merges: l1, fpgm and bn each a leaf, every merge a bracket.
    for svg in svgs {
      #expect(svg.components(separatedBy: "class=\"merge\"").count - 1 == 2)
      for name in ["l1", "fpgm", "bn"] { #expect(svg.contains(">\(name)</text>")) }
    }
  }
}
