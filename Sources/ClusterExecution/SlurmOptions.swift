/// How a ``SlurmExecutor`` submits: partition, array size, time limit, retries, and the
/// `shears` binary the tasks run.
public struct SlurmOptions: Sendable, Equatable {
  /// `--partition` (nil: the cluster's default).
  public var partition: String?
  /// Array tasks per round at most (a round's items are split into this many shards).
  public var tasks: Int
  /// `--time` per task (`MM`, `MM:SS`, `HH:MM:SS`, `D-HH`, `D-HH:MM`, `D-HH:MM:SS`; nil: the
  /// partition's default).
  public var time: String?
  /// Re-submissions of a failed or lost task before the round fails.
  public var retries: Int
  /// Seconds between looks at `squeue` and the result files.
  public var poll: Double
  /// Seconds a task may be missing from `squeue` without a result before it counts as lost
  /// (covers a shared file system's delay in showing the result file).
  public var grace: Double
  /// The `shears` binary that runs `shears worker` (must be visible on the compute nodes).
  public var worker: String
  /// `--cpus-per-task`: the evaluation's thread count.
  public var cpusPerTask: Int

  /// Options with defaults: 8 tasks, 2 retries, a look every half second.
  public init(
    worker: String, partition: String? = nil, tasks: Int = 8, time: String? = nil,
    retries: Int = 2, poll: Double = 0.5, grace: Double = 5, cpusPerTask: Int = 1
  ) {
    self.worker = worker
    self.partition = partition
    self.tasks = tasks
    self.time = time
    self.retries = retries
    self.poll = poll
    self.grace = grace
    self.cpusPerTask = cpusPerTask
  }

  /// Whether `text` is a time limit `sbatch --time` takes.
  public static func isValidTime(_ text: String) -> Bool {
    func numbers(_ s: Substring, max count: Int) -> Bool {
      let parts = s.split(separator: ":", omittingEmptySubsequences: false)
      return (1...count).contains(parts.count)
        && parts.allSatisfy {
          !$0.isEmpty && $0.count <= 4 && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber)
        }
    }
    if text == "UNLIMITED" || text == "INFINITE" { return true }
    let dash = text.split(separator: "-", omittingEmptySubsequences: false)
    switch dash.count {
    case 1: return numbers(dash[0], max: 3)
    case 2: return numbers(dash[0], max: 1) && numbers(dash[1], max: 3)
    default: return false
    }
  }
}
