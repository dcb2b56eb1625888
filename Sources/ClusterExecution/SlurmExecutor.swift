import DurableIO
import Foundation
import Pruning
import TensorCore

/// Evaluates each round as one Slurm array job: writes the round's shards into the job folder
/// (on a file system the compute nodes share), submits `sbatch --array`, follows the tasks
/// with `squeue` (and `scontrol show job` for why one ended) and the result files, checks each
/// result's content hashes and keep-mask hashes against what was asked, re-submits failed or
/// lost tasks (at most ``SlurmOptions/retries`` times each), and cancels everything with
/// `scancel` when asked to stop. The bits are the workers', which are the in-process ones.
///
/// ```swift
/// let job = try JobFolder.createBlend(at: dir, network: net, space: space, data: data, threads: 2)
/// let slurm = try SlurmExecutor(job: job, space: space, options: SlurmOptions(worker: exe))
/// ```
public final class SlurmExecutor: FitnessExecutor {
  /// The job folder.
  public let job: JobFolder
  /// The options.
  public let options: SlurmOptions
  private let space: BlendSpace?
  private let slurm: SlurmCommands
  private let events: (SlurmEvent) -> Void
  private var round = 0
  /// Seconds from each round's first submission to its last result checked.
  public private(set) var roundSeconds: [Double] = []
  /// Tasks re-submitted, over all rounds.
  public private(set) var retries = 0
  /// Rounds cancelled because the caller asked to stop.
  public private(set) var cancelledRounds = 0
  /// Array job ids, in submission order.
  public private(set) var jobs: [String] = []

  /// An executor for `job` (``space`` is the blend's, for checking keep-mask hashes; nil for a
  /// sweep).
  public init(
    job: JobFolder, space: BlendSpace?, options: SlurmOptions, slurm: SlurmCommands? = nil,
    events: @escaping (SlurmEvent) -> Void = { _ in }
  ) throws(ClusterError) {
    guard options.tasks >= 1 else { throw .invalidOption("tasks must be at least 1") }
    guard options.retries >= 0 else { throw .invalidOption("retries must be 0 or more") }
    if let t = options.time, !SlurmOptions.isValidTime(t) {
      throw .invalidOption("time=\"\(t)\" is not a Slurm time limit (e.g. \"30\", \"1:00:00\")")
    }
    guard FileManager.default.isExecutableFile(atPath: options.worker) else {
      throw .workerNotFound("\(options.worker) is not an executable file")
    }
    self.job = job
    self.space = space
    self.options = options
    if let slurm {
      self.slurm = slurm
    } else {
      self.slurm = try SlurmCommands()
    }
    self.events = events
  }

  public var name: String { "slurm" }

  public func measure(_ items: FitnessItems, done: (Int) -> Void, stop: () -> Bool) throws
    -> [FitnessMeasure]
  {
    let r = round
    round += 1
    guard items.count > 0 else { return [] }
    let expected: [String]
    let shards: [(range: Range<Int>, hash: String)]
    switch items {
    case .genomes(let genomes):
      guard let space else { throw ClusterError.invalidOption("a sweep's job has no genomes") }
      expected = genomes.map { BlendSpace.maskHash(space.removed($0)) }
      shards = try job.writeShards(round: r, genomes: genomes, tasks: options.tasks)
    case .cases(let cases):
      expected = cases.map(JobWorker.caseHash)
      shards = try job.writeShards(round: r, cases: cases, tasks: options.tasks)
    }
    let folder = job.roundPath(r)
    let script = try writeScript(folder)
    let start = MonotonicClock.seconds()

    var measures = [FitnessMeasure?](repeating: nil, count: items.count)
    var pending = Set(shards.indices)
    var attempts = [Int](repeating: 1, count: shards.count)
    var jobOf = [String](repeating: "", count: shards.count)
    var missingSince: [Int: Double] = [:]
    var completed = 0

    func submit(_ tasks: [Int]) throws {
      let id = try slurm.submit(script: script, arguments: arguments(folder, round: r, tasks))
      jobs.append(id)
      for t in tasks { jobOf[t] = id }
      events(.submitted(round: r, job: id, tasks: tasks))
    }
    /// A task whose result is wrong: removes it and retries (or fails the round).
    func fail(_ t: Int, reason: String) throws {
      try? FileManager.default.removeItem(atPath: folder + "/" + JobFolder.resultName(t))
      if try retry(t, reason: reason) { try submit([t]) }
    }

    /// Counts an attempt; true when the task may run again, throws when it may not.
    func retry(_ t: Int, reason: String) throws -> Bool {
      guard attempts[t] <= options.retries else {
        let active = Array(Set(pending.map { jobOf[$0] })).sorted()
        try? slurm.cancel(active)
        throw ClusterError.taskFailed(round: r, task: t, attempts: attempts[t], message: reason)
      }
      attempts[t] += 1
      retries += 1
      missingSince[t] = nil
      try? FileManager.default.removeItem(atPath: folder + "/" + JobFolder.errorName(t))
      events(.retrying(round: r, task: t, attempt: attempts[t], reason: reason))
      return true
    }

    try submit(Array(shards.indices))

    while !pending.isEmpty {
      if stop() {
        let active = Array(Set(pending.map { jobOf[$0] })).sorted()
        try? slurm.cancel(active)
        cancelledRounds += 1
        events(.cancelled(round: r, jobs: active))
        let prefix = measures.prefix { $0 != nil }.compactMap { $0 }
        return prefix
      }
      // Results first: a task may finish between the two looks.
      for t in pending.sorted() {
        let result: JobResult?
        do {
          result = try job.result(round: r, task: t, shardHash: shards[t].hash)
        } catch {
          try fail(t, reason: "its result is unusable (\(error))")
          continue
        }
        guard let result else { continue }
        let range = shards[t].range
        guard result.items.count == range.count,
          zip(result.items, expected[range]).allSatisfy({ $0.maskHash == $1 })
        else {
          try fail(t, reason: "its result does not answer its shard (keep-mask hashes differ)")
          continue
        }
        for (k, item) in zip(range, result.items) { measures[k] = item.measure }
        pending.remove(t)
        missingSince[t] = nil
        completed += range.count
        done(completed)
      }
      if pending.isEmpty { break }
      var active: [Int: String] = [:]
      for id in Set(pending.map { jobOf[$0] }) {
        for (index, state) in try slurm.activeTasks(job: id)
        where jobOf.indices.contains(index) && jobOf[index] == id {
          active[index] = state
        }
      }
      let now = MonotonicClock.seconds()
      var again: [Int] = []
      for t in pending.sorted() where active[t] == nil {
        // Gone from the queue without a result: give the file system a moment, then retry.
        let since = missingSince[t] ?? now
        missingSince[t] = since
        if now - since < options.grace, job.errorMessage(round: r, task: t) == nil { continue }
        let why =
          job.errorMessage(round: r, task: t)?.trimmingCharacters(in: .whitespacesAndNewlines)
          ?? slurm.state(job: jobOf[t], index: t).map { "it ended without a result (\($0))" }
          ?? "it left the queue without a result"
        if try retry(t, reason: why) { again.append(t) }
      }
      if !again.isEmpty { try submit(again) }
      Thread.sleep(forTimeInterval: options.poll)
    }
    let seconds = MonotonicClock.seconds() - start
    roundSeconds.append(seconds)
    events(.gathered(round: r, items: items.count, seconds: seconds))
    return measures.map { $0! }
  }

  /// The job script of a round: runs the worker on the array index.
  private func writeScript(_ folder: String) throws(ClusterError) -> String {
    func quoted(_ s: String) -> String {
      "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
    let text = """
      #!/bin/sh
      # A task of a Shears job: evaluates shard $SLURM_ARRAY_TASK_ID of this round.
      exec \(quoted(options.worker)) worker \(quoted(folder)) --task "$SLURM_ARRAY_TASK_ID"

      """
    let path = folder + "/task.sh"
    do {
      try DurableFile.write(text, to: path, permissions: 0o755)
    } catch {
      throw .cannotWrite(path: path, reason: "\(error)")
    }
    return path
  }

  private func arguments(_ folder: String, round: Int, _ tasks: [Int]) -> [String] {
    var a = [
      "--array=" + SlurmExecutor.arraySpec(tasks),
      "--job-name=shears-r\(round)",
      "--output=" + folder + "/slurm-%A_%a.out",
      "--cpus-per-task=\(options.cpusPerTask)",
      "--chdir=" + folder,
    ]
    if let p = options.partition { a.append("--partition=" + p) }
    if let t = options.time { a.append("--time=" + t) }
    return a
  }

  /// `--array` indices, runs of consecutive ones as ranges: [0, 1, 2, 5] → `0-2,5`.
  public static func arraySpec(_ tasks: [Int]) -> String {
    var parts: [String] = []
    var index = 0
    let sorted = tasks.sorted()
    while index < sorted.count {
      var end = index
      while end + 1 < sorted.count, sorted[end + 1] == sorted[end] + 1 { end += 1 }
      parts.append(end == index ? "\(sorted[index])" : "\(sorted[index])-\(sorted[end])")
      index = end + 1
    }
    return parts.joined(separator: ",")
  }
}
