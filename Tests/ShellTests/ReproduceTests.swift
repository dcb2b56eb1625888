import Foundation
import Testing

/// The seed papers' scripts in sessions/reproduce/ run end to end at CI size (`--limit 256`):
/// type-checked, then executed on a Fashion-MNIST subset, each ending in its `compare`.
@Suite("Reproduction scripts at CI size", .serialized)
struct ReproduceTests {
  static let scripts = [
    "001-balanced", "002-norm-similarity", "003-clr-rnf", "004-gradual-frs",
  ]

  @Test(
    "a reproduction script runs with --limit 256",
    .enabled(if: FileManager.default.fileExists(atPath: "/usr/share/datasets/fashion-mnist")),
    arguments: scripts)
  func runs(name: String) throws {
    let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent("sessions/reproduce/\(name).shears").path
    let folder = try TemporaryFolder()
    let result = try ShearsProcess.run(
      ["run", script, "--limit", "256"], in: folder.path, timeout: 300)
    #expect(result.status == 0, "\(name): \(result.errors)")
    // The last statement's table: the compare of the two models.
    #expect(result.output.contains("images/s (batch"), "\(name): \(result.output.suffix(400))")
  }
}
