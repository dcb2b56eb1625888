import Foundation
import TestSupport
import Testing

/// Latency models through the real executable: a recorded `profile` and the `target=latency`
/// plan made from it replay with `--verify` (the model is restored, not measured again), and an
/// edited model stops the replay at the profile cell (sessions/equal-latency.shears runs in
/// ReproduceTests).
@Suite("Latency sessions through the executable")
struct LatencySessionTests {
  /// Six cells on tiny synthetic data; cell 3 profiles.
  static let script = """
    d = data synthetic classes=4 size=8 count=64
    m = model vgg-small for d width=0.25
    lat = profile m batch=2 points=1 repeats=1
    p = plan m by l1 ratio=20% alloc=global target=latency latency=lat
    show p
    q = plan m by l1 ratio=20% alloc=global latency=lat
    """

  @Test("a recorded profile replays --verify; an edited latency model stops it at cell 3")
  func recordReplayTamper() throws {
    let folder = try TemporaryFolder()
    try folder.write("s.shears", Self.script)
    let recorded = try ShearsProcess.run(
      ["run", "s.shears", "--record", "s.json", "--quiet"], in: folder.path)
    #expect(recorded.status == 0, "\(recorded.errors)")
    let verified = try ShearsProcess.run(["replay", "s.json", "--verify"], in: folder.path)
    #expect(verified.status == 0, "\(verified.errors)")
    #expect(
      verified.output.hasSuffix(
        "s.json: verified 6 cells: every figure and binding matches (bit-identical)\n"),
      "\(verified.output.suffix(300))")

    // Double the measured time of the whole network inside the recorded model.
    let path = folder.path + "/s.json"
    let data = try #require(FileManager.default.contents(atPath: path))
    var object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    var cells = try #require(object["cells"] as? [[String: Any]])
    var measurements = try #require(cells[2]["measurements"] as? [[String: Any]])
    let archive = try #require(measurements[0]["archive"] as? String)
    var model = try #require(
      try JSONSerialization.jsonObject(with: Data(archive.utf8)) as? [String: Any])
    model["measuredSeconds"] = try #require(model["measuredSeconds"] as? Double) * 2
    measurements[0]["archive"] = String(
      decoding: try JSONSerialization.data(withJSONObject: model, options: [.sortedKeys]),
      as: UTF8.self)
    cells[2]["measurements"] = measurements
    object["cells"] = cells
    try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
      .write(to: URL(fileURLWithPath: path))
    let edited = try ShearsProcess.run(["replay", "s.json", "--verify"], in: folder.path)
    #expect(edited.status != 0)
    let said = edited.output + edited.errors
    #expect(said.contains("cell 3 diverges: lat = profile m"), "\(said.suffix(400))")
    #expect(said.contains("binding lat"), "\(said.suffix(400))")
  }
}
