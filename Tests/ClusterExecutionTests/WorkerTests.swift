import ClusterExecution
import CommandRuntime
import DurableIO
import Foundation
import Pruning
import Testing

/// `shears worker`: a pure function of the job folder (the same bits as the in-process
/// evaluation), and a clear failure of the task, never a crash, on a damaged folder.
@Suite("Job folders and the worker", .serialized)
struct WorkerTests {
  /// The in-process evaluator on every genome vs the job folder split in 3 shards, task 0
  /// evaluated by `JobWorker` in this process and tasks 1 and 2 by the real `shears worker`:
  /// equal bits and equal keep-mask hashes.
  @Test func workerEqualsInProcessEvaluationBitForBit() throws {
    let p = try ClusterFixtures.problem.get()
    let genomes = Array(p.genomes.prefix(7))
    let inProcess = try BlendFitnessEvaluator(
      network: p.network, space: p.space, data: p.data, context: try .init(threads: 1)
    ).evaluate(genomes)
    let folder = try ClusterFixtures.temporaryFolder()
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let job = try JobFolder.createBlend(
      at: folder + "/job", network: p.network, space: p.space, data: p.data, threads: 1)
    let shards = try job.writeShards(round: 0, genomes: genomes, tasks: 3)
    #expect(shards.map(\.range) == [0..<3, 3..<5, 5..<7])
    try JobWorker.run(round: job.roundPath(0), task: 0)
    // The folder as given by a path, and as `.` from inside it (relative paths resolve).
    let byPath = try ClusterFixtures.runShears(["worker", job.roundPath(0), "--task", "1"])
    #expect(byPath.status == 0, "\(byPath.errors)")
    let byDot = try ClusterFixtures.runShears(["worker", ".", "--task", "2"], in: job.roundPath(0))
    #expect(byDot.status == 0, "\(byDot.errors)")
    var viaWorkers: [FitnessMeasure] = []
    for (task, shard) in shards.enumerated() {
      let result = try #require(try job.result(round: 0, task: task, shardHash: shard.hash))
      #expect(
        result.items.map(\.maskHash)
          == genomes[shard.range].map { BlendSpace.maskHash(p.space.removed($0)) })
      viaWorkers += result.items.map(\.measure)
    }
    #expect(viaWorkers.count == genomes.count)
    for (a, b) in zip(viaWorkers, inProcess) {
      #expect(a.accuracy.bitPattern == b.accuracy.bitPattern)
      #expect(a.loss.bitPattern == b.loss.bitPattern)
    }
    // The worker does not depend on the order or company of genomes: one genome alone, in a
    // fresh evaluator, gives the bits it gave in the middle of a generation.
    let alone = try BlendFitnessEvaluator(
      network: p.network, space: p.space, data: p.data, context: try .init(threads: 1)
    ).evaluate([genomes[4]])
    #expect(alone[0].loss.bitPattern == inProcess[4].loss.bitPattern)
  }

  /// A shard cut in half: the task fails with status 1 and a message naming the shard, the
  /// same message is left in error-0001.txt, no result is written; the other task still runs.
  @Test func damagedShardFailsThatTaskClearly() throws {
    let p = try ClusterFixtures.problem.get()
    let folder = try ClusterFixtures.temporaryFolder()
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let job = try JobFolder.createBlend(
      at: folder + "/job", network: p.network, space: p.space, data: p.data, threads: 1)
    _ = try job.writeShards(round: 0, genomes: Array(p.genomes.prefix(2)), tasks: 2)
    let shard = job.roundPath(0) + "/shard-0001.json"
    let bytes = try DurableFile.read(shard)
    try DurableFile.write(Array(bytes.prefix(bytes.count / 2)), to: shard)

    let run = try ClusterFixtures.runShears(["worker", job.roundPath(0), "--task", "1"])
    print("damaged shard → status \(run.status): \(run.errors)")
    #expect(run.status == 1)
    #expect(run.errors.contains("shard-0001.json is damaged: it is not a valid JobShard"))
    #expect(!run.errors.contains("Fatal error"))
    #expect(job.errorMessage(round: 0, task: 1)?.contains("shard-0001.json is damaged") == true)
    #expect(!FileManager.default.fileExists(atPath: job.roundPath(0) + "/result-0001.json"))
    let ok = try ClusterFixtures.runShears(["worker", job.roundPath(0), "--task", "0"])
    #expect(ok.status == 0, "\(ok.errors)")
  }

  /// One byte of the model changed after the manifest was written: the content hash check
  /// names the file; a task number without a shard names the missing shard.
  @Test func damagedModelAndMissingShardAreNamed() throws {
    let p = try ClusterFixtures.problem.get()
    let folder = try ClusterFixtures.temporaryFolder()
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let job = try JobFolder.createBlend(
      at: folder + "/job", network: p.network, space: p.space, data: p.data, threads: 1)
    _ = try job.writeShards(round: 0, genomes: Array(p.genomes.prefix(1)), tasks: 1)
    let missing = try ClusterFixtures.runShears(["worker", job.roundPath(0), "--task", "5"])
    #expect(missing.status == 1)
    #expect(missing.errors.contains("shard-0005.json is damaged"), "\(missing.errors)")
    let model = folder + "/job/model.ck"
    var bytes = try DurableFile.read(model)
    bytes[bytes.count / 2] ^= 0x01
    try DurableFile.write(bytes, to: model)
    let run = try ClusterFixtures.runShears(["worker", job.roundPath(0), "--task", "0"])
    print("damaged model → status \(run.status): \(run.errors)")
    #expect(run.status == 1)
    #expect(run.errors.contains("model.ck is damaged: its content hash is"), "\(run.errors)")
  }
}

/// The errors `executor=slurm` gives before any work.
/// Paths the worker is given.
@Suite("Worker paths")
struct WorkerPathTests {
  /// Hand-resolved: relative to the working directory, `.`, `..`, repeated and trailing
  /// slashes.
  @Test func pathsResolve() {
    let cwd = FileManager.default.currentDirectoryPath
    #expect(JobWorker.absolute("/a/b/./round-0000/") == "/a/b/round-0000")
    #expect(JobWorker.absolute("/a//b/../c") == "/a/c")
    #expect(JobWorker.absolute(".") == JobWorker.absolute(cwd))
    #expect(JobWorker.absolute("/..") == "/")
    #expect(JobWorker.parent(of: "/a/b/round-0000") == "/a/b")
    #expect(JobWorker.parent(of: "/round") == "/")
    #expect(JobWorker.parent(of: "/") == "/")
  }
}

@Suite("Executor options")
struct ExecutorOptionTests {
  /// From a process that is not `shears` (this test runner), with no `SHEARS_EXECUTABLE`, the
  /// blend says at once how to name the worker binary; a bad time= is refused with the forms
  /// Slurm takes.
  @Test func missingWorkerAndBadTimeAreNamedBeforeAnyWork() throws {
    try #require(
      ProcessInfo.processInfo.environment["SHEARS_EXECUTABLE"] == nil,
      "SHEARS_EXECUTABLE is set")
    let runtime = try Runtime(
      options: RuntimeOptions(seed: 1, threads: 1), output: CollectingSink())
    for line in [
      "d = data synthetic classes=4 size=8 count=64", "m = model vgg-small for d width=0.25",
      "sim = similarity m by [l1, fpgm] on d batches=1 batch=16", "k = cluster sim k=2",
    ] {
      #expect(runtime.execute(line).status == .ok, "\(line)")
    }
    let noWorker = runtime.execute("b = blend m from k on d images=16 executor=slurm")
    guard case .error(.runtime, let message) = noWorker.status else {
      Issue.record("\(noWorker.status)")
      return
    }
    #expect(message.contains("blend: cannot find the shears binary for workers"), "\(message)")
    #expect(message.contains("set SHEARS_EXECUTABLE"))
    let badTime = runtime.execute("b = blend m from k on d images=16 time=\"2h\"")
    guard case .error(.runtime, let timeMessage) = badTime.status else {
      Issue.record("\(badTime.status)")
      return
    }
    #expect(timeMessage.contains("time: \"2h\" is not a Slurm time limit"), "\(timeMessage)")
    #expect(runtime.environment["b"] == nil)
  }
}
