import ClusterExecution
import Foundation
import NeuralNet
import Pruning
import TensorCore

/// The executor a command's fitness evaluations run on, made from its `executor=` options
/// (``ParameterSpec/execution``), with the job folder a Slurm executor works in and the line
/// the cell records about it.
///
/// ```swift
/// let execution = try FitnessExecution.blend(arguments, context, network: net, space: space,
///                                            data: data)
/// let measures = try execution.executor.measure(.genomes(g), done: { _ in }, stop: { false })
/// context.emit(.text(execution.summary()))
/// ```
final class FitnessExecution {
  /// The executor.
  let executor: any FitnessExecutor
  /// The Slurm executor, when that is the one.
  let slurm: SlurmExecutor?
  /// Why a replay runs locally what was recorded on Slurm, if it does.
  let note: String?

  private init(executor: any FitnessExecutor, slurm: SlurmExecutor?, note: String?) {
    self.executor = executor
    self.slurm = slurm
    self.note = note
  }

  /// The executor of a blend search.
  static func blend(
    _ arguments: Arguments, _ context: CommandContext, network: Network, space: BlendSpace,
    data: FitnessData
  ) throws -> FitnessExecution {
    let local = {
      LocalExecutor(
        blend: try BlendFitnessEvaluator(
          network: network, space: space, data: data, context: context.compute))
    }
    return try make(arguments, context, local: local) { folder in
      try JobFolder.createBlend(
        at: folder, network: network, space: space, data: data, threads: context.options.threads,
        convolution: context.options.convolution)
    } slurm: { job, options in
      try SlurmExecutor(job: job, space: space, options: options)
    }
  }

  /// The executor of a sensitivity sweep.
  static func sensitivity(
    _ arguments: Arguments, _ context: CommandContext, network: Network, calibration: Calibration
  ) throws -> FitnessExecution {
    let local = {
      LocalExecutor(
        sensitivity: try SensitivityEvaluator(network: network, calibration: calibration))
    }
    return try make(arguments, context, local: local) { folder in
      try JobFolder.createSensitivity(
        at: folder, network: network, calibration: calibration, threads: context.options.threads,
        convolution: context.options.convolution)
    } slurm: { job, options in
      try SlurmExecutor(job: job, space: nil, options: options)
    }
  }

  /// Checks the executor options before any work: a bad `time=`, and for `executor=slurm` a
  /// missing `sbatch` or worker binary, fail at once rather than after the scoring.
  static func check(_ arguments: Arguments, _ context: CommandContext) throws {
    if let time = try arguments.optionalText("time"), !SlurmOptions.isValidTime(time) {
      throw RuntimeError.invalidArgument(
        command: context.command, name: "time",
        problem: "\"\(time)\" is not a Slurm time limit; write minutes (\"30\"), "
          + "\"MM:SS\", \"HH:MM:SS\" or \"D-HH:MM:SS\"")
    }
    guard try arguments.text("executor") == "slurm", context.options.executor != .local else {
      return
    }
    _ = try workerExecutable(context.options, command: context.command)
    do {
      _ = try SlurmCommands()
    } catch {
      throw RuntimeError.engine(command: context.command, message: "\(error)")
    }
  }

  private static func make(
    _ arguments: Arguments, _ context: CommandContext, local: () throws -> LocalExecutor,
    job: (String) throws -> JobFolder, slurm: (JobFolder, SlurmOptions) throws -> SlurmExecutor
  ) throws -> FitnessExecution {
    let command = context.command
    let wanted = try arguments.text("executor")
    try check(arguments, context)
    let time = try arguments.optionalText("time")
    guard wanted == "slurm" else {
      return FitnessExecution(executor: try local(), slurm: nil, note: nil)
    }
    if context.options.executor == .local {
      return FitnessExecution(
        executor: try local(), slurm: nil,
        note: "executor: local (recorded with executor=slurm; a replay runs in process)")
    }
    let worker = try workerExecutable(context.options, command: command)
    let folder = try jobFolder(arguments, context)
    do {
      let options = SlurmOptions(
        worker: worker, partition: try arguments.optionalText("partition"),
        tasks: try arguments.int("tasks"), time: time, retries: try arguments.int("retries"),
        cpusPerTask: context.options.threads)
      let executor = try slurm(try job(folder), options)
      return FitnessExecution(executor: executor, slurm: executor, note: nil)
    } catch let error as ClusterError {
      // Nothing was submitted: the half-made job folder is of no use.
      try? FileManager.default.removeItem(atPath: folder)
      throw RuntimeError.engine(command: command, message: "\(error)")
    }
  }

  /// The `shears` binary workers run: the runtime's setting, else `$SHEARS_EXECUTABLE`, else
  /// this process's executable when it is `shears`.
  static func workerExecutable(_ options: RuntimeOptions, command: String) throws -> String {
    if let path = options.workerExecutable { return path }
    let environment = ProcessInfo.processInfo.environment
    if let path = environment["SHEARS_EXECUTABLE"], !path.isEmpty { return path }
    if let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"),
      path.split(separator: "/").last == "shears"
    {
      return path
    }
    throw RuntimeError.engine(
      command: command,
      message: "\(ClusterError.workerNotFound("this process is not the shears binary"))")
  }

  /// A new folder for this command's job: under `workdir=`, else `$SHEARS_WORKDIR`, else
  /// `$XDG_CACHE_HOME/shears/jobs` (`~/.cache/shears/jobs`); inside the scratch folder when the
  /// runtime has one (a replay).
  static func jobFolder(_ arguments: Arguments, _ context: CommandContext) throws -> String {
    let environment = ProcessInfo.processInfo.environment
    var base: String
    if let dir = try arguments.optionalText("workdir") {
      base = dir
    } else if let dir = environment["SHEARS_WORKDIR"], !dir.isEmpty {
      base = dir
    } else if let cache = environment["XDG_CACHE_HOME"], !cache.isEmpty {
      base = cache + "/shears/jobs"
    } else {
      base = (environment["HOME"] ?? NSTemporaryDirectory()) + "/.cache/shears/jobs"
    }
    if let scratch = context.options.scratchFolder {
      base = FileTargets.inside(scratch, base)
    }
    let absolute =
      base.hasPrefix("/") ? base : FileManager.default.currentDirectoryPath + "/" + base
    let stamp = Int(Date().timeIntervalSince1970)
    let suffix = String(UInt32.random(in: 0...UInt32.max), radix: 16)
    return "\(absolute)/\(context.command)-\(stamp)-\(getpid())-\(suffix)"
  }

  /// Measures `items` on the executor; a Slurm failure becomes the command's error, naming
  /// the job folder that is kept for a look at the tasks' output.
  func measure(
    _ items: FitnessItems, command: String, done: (Int) -> Void, stop: () -> Bool
  ) throws -> [FitnessMeasure] {
    do {
      return try executor.measure(items, done: done, stop: stop)
    } catch let error as ClusterError {
      let kept = slurm.map { " (job folder kept: \($0.job.path))" } ?? ""
      throw RuntimeError.engine(command: command, message: "\(error)\(kept)")
    }
  }

  /// The line the cell records: which executor ran, and for Slurm its jobs, retries and the
  /// time from submission to results per round.
  func summary() -> String? {
    if let note { return note }
    guard let slurm else { return nil }
    let rounds = slurm.roundSeconds
    let mean = rounds.isEmpty ? 0 : rounds.reduce(0, +) / Double(rounds.count)
    let shown = slurm.jobs.prefix(6).joined(separator: ", ")
    let jobs =
      "job\(slurm.jobs.count == 1 ? "" : "s") " + shown + (slurm.jobs.count > 6 ? ", …" : "")
    return "executor: slurm — \(rounds.count) round\(rounds.count == 1 ? "" : "s") as array "
      + "\(jobs), \(slurm.retries) task\(slurm.retries == 1 ? "" : "s") re-submitted, "
      + "\(String(format: "%.2f", mean)) s per round from submission to results"
      + (slurm.cancelledRounds > 0 ? "; \(slurm.cancelledRounds) round cancelled (scancel)" : "")
  }

  /// Removes the job folder after success (kept after a failure, for a look at the tasks'
  /// output).
  func finish() {
    guard let slurm else { return }
    try? FileManager.default.removeItem(atPath: slurm.job.path)
  }
}
