import ArgumentParser
import ClusterExecution

/// `shears worker ROUND --task N`: evaluates one shard of a job folder (what a Slurm array
/// task runs) and writes `result-N.json` atomically; status 1 with the reason on standard error
/// (and in `error-N.txt`) when the shard or the job's files are damaged.
struct WorkerCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "worker",
    abstract: "Evaluate one task of a job folder (what each Slurm array task runs).",
    discussion: """
      ROUND is a round folder of a job (FOLDER/round-0003, see README "Running on a \
      cluster"); the task's shard is ROUND/shard-N.json, the result ROUND/result-N.json.
      Example: shears worker /shared/jobs/blend-1/round-0000 --task 2
      """)

  @ArgumentParser.Argument(help: "The round folder.")
  var folder: String

  @ArgumentParser.Option(help: "The task (array index) to evaluate.")
  var task: Int

  func run() throws {
    do {
      let result = try JobWorker.run(round: folder, task: task)
      Console.line("task \(task): \(result.items.count) item(s) evaluated")
    } catch {
      Console.error("shears worker: \(error)")
      throw ExitCode(ExitStatus.usage)
    }
  }
}
