import CommandRuntime
import Foundation
import Notebook
import Testing

/// A recorded blend replays bit for bit; an edited α fails verification naming the cell.
@Suite("Blend replay")
struct BlendReplayTests {
  static let inputs =
    Fixtures.inputs.prefix(2) + [
      "sim = similarity m by [l1, fpgm, bn] batches=1 batch=16",
      "k = cluster sim k=2",
      "b = blend m from k on d population=5 generations=2 elites=1 images=24 recalibrate=16",
      "p = plan m by b ratio=50%",
    ]

  @Test("replaying a recorded blend verifies every figure and binding")
  func replayVerifies() throws {
    let recorder = try Fixtures.record(Array(Self.inputs))
    let runtime = try Runtime(
      options: recorder.session.header.options.runtimeOptions, output: CollectingSink())
    let report = try Replayer(session: recorder.session, blobs: BlobStore(folder: "/nonexistent"))
      .run(on: runtime, verify: true)
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
}
