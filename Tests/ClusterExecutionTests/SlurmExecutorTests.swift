import ClusterExecution
import CommandRuntime
import DurableIO
import Foundation
import Pruning
import Testing

/// Blends and sweeps through a real Slurm (scripts/slurm-local): the same bits as in process,
/// a cancelled array task re-submitted, a damaged shard failing its task with the worker's
/// message. Skipped, with the reason, where no Slurm runs.
@Suite(
  "Slurm executor", .serialized,
  .enabled(if: ClusterFixtures.slurmRuns, Comment(rawValue: ClusterFixtures.slurmMissing)))
struct SlurmExecutorTests {
  /// The same blend, local and through Slurm (3 array tasks per generation): the bound
  /// criteria have the same content hash, every lineage measure has the same bits, the
  /// figures are equal; the cell records which executor ran.
  @Test func blendThroughSlurmEqualsLocalBitForBit() throws {
    let runtime = try ClusterFixtures.runtime()
    let workdir = try ClusterFixtures.temporaryFolder()
    defer { try? FileManager.default.removeItem(atPath: workdir) }
    // The same statement (binding and inputs; the executor options are not part of the
    // randomness key), so both draw the same random bits.
    let start = Date()
    let local = runtime.execute("b = " + ClusterFixtures.blend)
    let localSeconds = Date().timeIntervalSince(start)
    let a = try #require(runtime.environment["b"]?.value as? CriterionValue)
    let slurmStart = Date()
    let slurm = runtime.execute(
      "b = " + ClusterFixtures.blend + " executor=slurm tasks=3 workdir=\"\(workdir)\"")
    let slurmSeconds = Date().timeIntervalSince(slurmStart)
    #expect(local.status == .ok, "\(local.renderedText)")
    #expect(slurm.status == .ok, "\(slurm.renderedText)")
    let b = try #require(runtime.environment["b"]?.value as? CriterionValue)
    let (ra, rb) = (try #require(a.blend).result, try #require(b.blend).result)
    #expect(try a.contentHash() == b.contentHash())
    #expect(ra.lineage.count == rb.lineage.count)
    for (x, y) in zip(ra.lineage, rb.lineage) {
      #expect(x.maskHash == y.maskHash)
      #expect(x.measure.accuracy.bitPattern == y.measure.accuracy.bitPattern)
      #expect(x.measure.loss.bitPattern == y.measure.loss.bitPattern)
    }
    #expect(local.figures == slurm.figures)
    let line = slurm.renderedText.split(separator: "\n").first { $0.hasPrefix("executor: slurm") }
    #expect(line != nil, "\(slurm.renderedText)")
    #expect(!local.renderedText.contains("executor:"))
    print(
      "blend local \(String(format: "%.2f", localSeconds)) s, through Slurm "
        + "\(String(format: "%.2f", slurmSeconds)) s; best \(rb.best.fitness) == "
        + "\(ra.best.fitness); content hash \(try b.contentHash()); \(line ?? "")")
    // The job folder is removed after success.
    let left = try FileManager.default.contentsOfDirectory(atPath: workdir)
    #expect(left.isEmpty, "\(left)")
  }

  /// A sensitivity sweep through Slurm gives the local figures.
  @Test func sensitivityThroughSlurmEqualsLocal() throws {
    let runtime = try ClusterFixtures.runtime()
    let workdir = try ClusterFixtures.temporaryFolder()
    defer { try? FileManager.default.removeItem(atPath: workdir) }
    let line = "sensitivity m by l1 on d ratios=[25%, 50%] images=64"
    let local = runtime.execute("s = " + line)
    let s = try #require(runtime.environment["s"]?.value as? SensitivityValue)
    let slurm = runtime.execute("s = " + line + " executor=slurm tasks=2 workdir=\"\(workdir)\"")
    #expect(local.status == .ok, "\(local.renderedText)")
    #expect(slurm.status == .ok, "\(slurm.renderedText)")
    #expect(local.figures == slurm.figures)
    let t = try #require(runtime.environment["s"]?.value as? SensitivityValue)
    #expect(s.report == t.report)
  }

  /// `scancel` of one array index right after submission: the executor sees the task leave
  /// the queue without a result, re-submits it, and the round's measures are the in-process
  /// ones, bit for bit.
  @Test func cancelledTaskIsResubmittedAndTheResultIsTheSame() throws {
    let p = try ClusterFixtures.problem.get()
    let genomes = Array(p.genomes.prefix(6))
    let inProcess = try BlendFitnessEvaluator(
      network: p.network, space: p.space, data: p.data, context: try .init(threads: 1)
    ).evaluate(genomes)
    let folder = try ClusterFixtures.temporaryFolder()
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let job = try JobFolder.createBlend(
      at: folder + "/job", network: p.network, space: p.space, data: p.data, threads: 1)
    let slurm = try SlurmCommands()
    let log = EventLog()
    let executor = try SlurmExecutor(
      job: job, space: p.space,
      options: SlurmOptions(worker: ClusterFixtures.shears, tasks: 3, retries: 2, grace: 1),
      events: { event in
        log.append(event)
        if case .submitted(_, let id, let tasks) = event, tasks.count == 3 {
          try? slurm.cancel(["\(id)_1"])
        }
      })
    let measures = try executor.measure(.genomes(genomes), done: { _ in }, stop: { false })
    for event in log.events { print("slurm event: \(event)") }
    #expect(executor.retries == 1)
    #expect(
      log.events.contains {
        if case .retrying(0, 1, 2, _) = $0 { return true }
        return false
      })
    #expect(measures.map(\.loss.bitPattern) == inProcess.map(\.loss.bitPattern))
    #expect(measures.map(\.accuracy.bitPattern) == inProcess.map(\.accuracy.bitPattern))
  }

  /// The shard of task 1 damaged (and its first attempt cancelled) right after submission:
  /// every re-submission fails in the worker, and the round fails naming the task, its
  /// attempts and the worker's message about the shard.
  @Test func damagedShardFailsTheTaskWithTheWorkersMessage() throws {
    let p = try ClusterFixtures.problem.get()
    let folder = try ClusterFixtures.temporaryFolder()
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let job = try JobFolder.createBlend(
      at: folder + "/job", network: p.network, space: p.space, data: p.data, threads: 1)
    let slurm = try SlurmCommands()
    let shard = job.roundPath(0) + "/shard-0001.json"
    let executor = try SlurmExecutor(
      job: job, space: p.space,
      options: SlurmOptions(worker: ClusterFixtures.shears, tasks: 2, retries: 1, grace: 1),
      events: { event in
        if case .submitted(_, let id, let tasks) = event, tasks.count == 2 {
          try? slurm.cancel(["\(id)_1"])
          try? DurableFile.write("{\"format\": 1, \"round\": ", to: shard)
          try? FileManager.default.removeItem(atPath: job.roundPath(0) + "/result-0001.json")
        }
      })
    do {
      _ = try executor.measure(
        .genomes(Array(p.genomes.prefix(4))), done: { _ in }, stop: { false })
      Issue.record("a round with a damaged shard completed")
    } catch let error as ClusterError {
      print("damaged shard through Slurm: \(error)")
      guard case .taskFailed(0, 1, 2, let message) = error else {
        Issue.record("unexpected error: \(error)")
        return
      }
      #expect(message.contains("shard-0001.json is damaged: it is not a valid JobShard"))
    }
  }

  /// Asked to stop while the array runs: the array is cancelled and what is measured so far
  /// comes back (here nothing, or a leading part).
  @Test func stopCancelsTheArray() throws {
    let p = try ClusterFixtures.problem.get()
    let folder = try ClusterFixtures.temporaryFolder()
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let job = try JobFolder.createBlend(
      at: folder + "/job", network: p.network, space: p.space, data: p.data, threads: 1)
    let log = EventLog()
    let executor = try SlurmExecutor(
      job: job, space: p.space, options: SlurmOptions(worker: ClusterFixtures.shears, tasks: 2),
      events: { log.append($0) })
    let measures = try executor.measure(
      .genomes(Array(p.genomes.prefix(4))), done: { _ in }, stop: { true })
    #expect(measures.count < 4)
    let id = try #require(executor.jobs.first)
    #expect(log.events.last == .cancelled(round: 0, jobs: [id]))
    // Cancelled: Slurm lists nothing of the array a moment later.
    var active = try SlurmCommands().activeTasks(job: id)
    for _ in 0..<20 where !active.isEmpty {
      Thread.sleep(forTimeInterval: 0.25)
      active = try SlurmCommands().activeTasks(job: id)
    }
    #expect(active.isEmpty)
  }
}

/// Events heard from an executor.
final class EventLog: @unchecked Sendable {
  private(set) var events: [SlurmEvent] = []
  func append(_ event: SlurmEvent) { events.append(event) }
}

/// A session recorded with `executor=slurm` by the real `shears run` replays and verifies in
/// process (the default) and through Slurm again (`--executor recorded`).
@Suite(
  "Slurm sessions", .serialized,
  .enabled(if: ClusterFixtures.slurmRuns, Comment(rawValue: ClusterFixtures.slurmMissing)))
struct SlurmSessionTests {
  @Test func sessionRecordedOnSlurmReplaysLocallyAndOnSlurm() throws {
    let folder = try ClusterFixtures.temporaryFolder()
    defer { try? FileManager.default.removeItem(atPath: folder) }
    // Small and quick (synthetic images, an untrained model): this test is about the record.
    let script =
      ([
        "d = data synthetic classes=4 size=8 count=128", "m = model vgg-small for d width=0.25",
        "sim = similarity m by [l1, fpgm, bn] on d batches=1 batch=32", "k = cluster sim k=3",
        "b = blend m from k on d population=4 generations=2 elites=1 images=32 recalibrate=32 "
          + "executor=slurm tasks=2 workdir=\"\(folder)/jobs\"",
        "s = sensitivity m by l1 on d ratios=[50%] images=32 executor=slurm workdir=\"\(folder)/jobs\"",
      ]).joined(separator: "\n")
    try script.write(toFile: folder + "/s.shears", atomically: true, encoding: .utf8)
    let run = try ClusterFixtures.runShears([
      "run", folder + "/s.shears", "--threads", "1", "--record", folder + "/s.json",
    ])
    #expect(run.status == 0, "\(run.errors)")
    let session = try String(contentsOfFile: folder + "/s.json", encoding: .utf8)
    #expect(session.contains("executor: slurm"))
    let local = try ClusterFixtures.runShears([
      "replay", folder + "/s.json", "--verify", "--scratch", folder + "/replay-local",
    ])
    #expect(local.status == 0, "\(local.errors)")
    let again = try ClusterFixtures.runShears([
      "replay", folder + "/s.json", "--verify", "--executor", "recorded",
      "--scratch", folder + "/replay-slurm",
    ])
    #expect(again.status == 0, "\(again.errors)")
  }
}

/// Ctrl-C in the shell (the runtime's stop flag) while a generation runs on Slurm.
@Suite(
  "Slurm interrupt", .serialized,
  .enabled(if: ClusterFixtures.slurmRuns, Comment(rawValue: ClusterFixtures.slurmMissing)))
struct SlurmInterruptTests {
  /// Asks to stop as soon as the second generation starts: its array is submitted, then
  /// cancelled (scancel) at the executor's next look; the blend binds the best of the first
  /// generation, as a local stop does, and Slurm lists nothing of the cancelled array.
  @Test func stopDuringAGenerationCancelsItsArray() throws {
    let runtime = try ClusterFixtures.runtime()
    let workdir = try ClusterFixtures.temporaryFolder()
    defer { try? FileManager.default.removeItem(atPath: workdir) }
    let sink = SecondGenerationSink()
    runtime.output = sink
    runtime.shouldStop = { sink.secondGenerationStarted }
    let outcome = runtime.execute(
      "b = " + ClusterFixtures.blend + " executor=slurm tasks=2 workdir=\"\(workdir)\"")
    runtime.shouldStop = { false }
    #expect(outcome.status == .ok, "\(outcome.renderedText)")
    let b = try #require(runtime.environment["b"]?.value as? CriterionValue)
    let result = try #require(b.blend).result
    #expect(result.stoppedEarly)
    // Nothing of the second generation was measured: only its cache hits (the elites) count.
    #expect(result.lineage.filter { $0.generation == 0 }.count == 6)
    #expect(result.lineage.filter { $0.generation == 1 }.allSatisfy { $0.cacheHit })
    #expect(result.lineage.allSatisfy { $0.generation <= 1 })
    let line = try #require(
      outcome.renderedText.split(separator: "\n").first { $0.hasPrefix("executor: slurm") })
    print("stopped: \(line)")
    #expect(line.hasSuffix("; 1 round cancelled (scancel)"))
    // "… as array jobs A, B, …": B is the cancelled second generation.
    let jobs = line.split(separator: " ").map { $0.trimmingCharacters(in: .punctuationCharacters) }
      .filter { !$0.isEmpty && $0.allSatisfy(\.isNumber) }
    #expect(jobs.count >= 3, "\(line)")  // 1 round, jobs A and B
    let cancelled = try #require(jobs.dropFirst().dropFirst().first)
    var active = try SlurmCommands().activeTasks(job: cancelled)
    for _ in 0..<20 where !active.isEmpty {
      Thread.sleep(forTimeInterval: 0.25)
      active = try SlurmCommands().activeTasks(job: cancelled)
    }
    #expect(active.isEmpty, "job \(cancelled) still has \(active)")
  }
}

/// A sink that notes when the second generation's progress starts.
final class SecondGenerationSink: OutputSink, @unchecked Sendable {
  private(set) var secondGenerationStarted = false
  func emit(_ item: OutputItem) {}
  func progress(_ update: ProgressUpdate) {
    if update.label.hasPrefix("generation 2/") { secondGenerationStarted = true }
  }
}
