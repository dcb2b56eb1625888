import Foundation
import Testing

/// The seed papers' scripts in sessions/reproduce/ run end to end at CI size (`--limit 256`;
/// 000-blend `--limit 64`), and so does sessions/equal-latency.shears (issue 17's equal-latency
/// comparison, `--limit 128`): type-checked, then executed on a Fashion-MNIST subset, each
/// ending in its `compare` (000-blend in the evaluation of its last row).
@Suite("Reproduction scripts at CI size", .serialized)
struct ReproduceTests {
  static let scripts = [
    "reproduce/000-blend", "reproduce/001-balanced", "reproduce/002-norm-similarity",
    "reproduce/003-clr-rnf", "reproduce/004-gradual-frs", "equal-latency",
  ]

  /// What the end of a script's output shows: most end in a compare's table; 000-blend in the
  /// last row of its table (the EA blend on resnet20, fine-tuned).
  static func ending(of name: String) -> String {
    name == "reproduce/000-blend"
      ? "e_res_blend_ft: Metrics = resnet20 on test: accuracy" : "images/s (batch"
  }

  @Test(
    "a reproduction script runs at CI size",
    .enabled(if: FileManager.default.fileExists(atPath: "/usr/share/datasets/fashion-mnist")),
    arguments: scripts)
  func runs(name: String) throws {
    // 000-blend trains, blends and fine-tunes two models seven times each: 64 images keep it
    // within the suite's time in a debug build. equal-latency profiles at batch 128 and makes
    // four balanced plans whatever the limit: it is given more time, and one thread. Its plans
    // follow the times it measures, and the other suites run beside it: with two threads,
    // each call waits for a busy core's scheduler slice (~8 ms whatever its size, seen in CI:
    // a flat grid, a FLOPs plan "0.2% slower", nothing for like= to match); with one, a busy
    // core slows some calls, and the interleaved rounds keep each cell's quiet time.
    let limit = name == "reproduce/000-blend" ? "64" : name == "equal-latency" ? "128" : "256"
    let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent("sessions/\(name).shears").path
    let folder = try TemporaryFolder()
    let result = try ShearsProcess.run(
      ["run", script, "--limit", limit] + (name == "equal-latency" ? ["--threads", "1"] : []),
      in: folder.path,
      timeout: name == "equal-latency" ? 600 : 300)
    #expect(result.status == 0, "\(name): \(result.errors)")
    // The last statement's output (a compare's table, or the blend table's last row).
    #expect(
      result.output.contains(Self.ending(of: name)), "\(name): \(result.output.suffix(400))")
    if name == "equal-latency" {
      // Both latency plans took their target from the FLOPs plans.
      let targets = result.output.components(
        separatedBy: "like=: the reference plan's predicted latency")
      #expect(targets.count == 3, "\(result.output.prefix(2000))")
    }
  }
}
