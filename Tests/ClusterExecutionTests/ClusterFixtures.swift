import ClusterExecution
import CommandRuntime
import Foundation
import NeuralNet
import Pruning
import TensorCore
import Testing

/// A small blend problem: vgg-small at a quarter width, trained briefly on a small
/// Fashion-MNIST subset (synthetic images when Fashion-MNIST is not installed), criteria
/// clustered into three candidates per group.
enum ClusterFixtures {
  static let fashionMNIST = FileManager.default.fileExists(
    atPath: "/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz")

  static let setup = [
    fashionMNIST
      ? "d = data fashion-mnist train=400 test=100"
      : "d = data synthetic classes=4 size=8 count=256",
    "m = model vgg-small for d width=0.25",
    "m = train m on d epochs=1 lr=0.05 batch=32",
    "sim = similarity m by [l1, fpgm, bn] on d batches=1 batch=32",
    "k = cluster sim k=3",
  ]

  /// The blend every Slurm test runs (add the executor options).
  static let blend =
    "blend m from k on d population=6 generations=3 elites=2 images=96 recalibrate=64"

  /// `<build folder>/shears`, next to the test bundle (built: this target depends on it).
  static var shears: String {
    let bundle =
      (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
      ?? CommandLine.arguments[0]
    return URL(fileURLWithPath: bundle).deletingLastPathComponent()
      .appendingPathComponent("shears").path
  }

  /// Whether `sbatch` is here and a controller answers (else the Slurm tests are skipped).
  static let slurmRuns = SlurmCommands.controllerResponds()

  /// Why the Slurm tests are skipped.
  static let slurmMissing =
    "no running Slurm here (sbatch missing or no controller); start one with scripts/slurm-local"

  /// A runtime (1 thread) that has run ``setup``, whose Slurm workers run ``shears``.
  static func runtime() throws -> Runtime {
    var options = RuntimeOptions(seed: 5, threads: 1)
    options.workerExecutable = shears
    let runtime = try Runtime(options: options, output: CollectingSink())
    for line in setup {
      let outcome = runtime.execute(line)
      #expect(outcome.status == .ok, "\(line): \(outcome.renderedText)")
    }
    return runtime
  }

  /// What the engine-level tests evaluate: the fixture's network, the space of a local blend
  /// on it, the genomes that blend evaluated, and fitness data from the training split.
  struct Problem: Sendable {
    var network: Network
    var space: BlendSpace
    var genomes: [BlendGenome]
    var data: FitnessData
    /// The local blend's lineage measures, in order.
    var measures: [FitnessMeasure]
  }

  /// Built once for the whole target.
  static let problem: Result<Problem, any Error> = Result {
    let shell = try ClusterFixtures.runtime()
    let outcome = shell.execute("b = " + blend)
    guard outcome.status == .ok,
      let b = shell.environment["b"]?.value as? CriterionValue, let record = b.blend,
      let m = shell.environment["m"]?.value as? ModelValue,
      let d = shell.environment["d"]?.value as? DatasetValue
    else { throw ClusterError.invalidOption("the fixture blend failed: \(outcome.renderedText)") }
    let data = try FitnessData.split(
      d.dataset.train, images: 64, recalibration: 32, batchSize: 128, rng: SeededRNG(seed: 3))
    return Problem(
      network: m.network, space: record.result.space,
      genomes: record.result.lineage.map(\.genome), data: data,
      measures: record.result.lineage.map(\.measure))
  }

  /// A fresh folder under the temporary directory.
  static func temporaryFolder() throws -> String {
    let path = FileManager.default.temporaryDirectory
      .appendingPathComponent("cluster-tests-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
  }

  /// Runs `shears arguments…`; returns the status and standard error.
  static func runShears(_ arguments: [String], in folder: String? = nil) throws -> (
    status: Int32, errors: String
  ) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: shears)
    process.arguments = arguments
    if let folder { process.currentDirectoryURL = URL(fileURLWithPath: folder) }
    let err = Pipe()
    process.standardError = err
    process.standardOutput = FileHandle.nullDevice
    try process.run()
    let data = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
  }
}
