/// Why work handed to a worker or a scheduler could not be done; every case says what to do.
public enum ClusterError: Error, CustomStringConvertible, Equatable {
  /// A job file is missing, unreadable, malformed or not what its manifest says (the message
  /// names the file and the problem).
  case damaged(path: String, problem: String)
  /// A job file could not be written.
  case cannotWrite(path: String, reason: String)
  /// An executor option is wrong (the message names it).
  case invalidOption(String)
  /// A Slurm command failed or is missing.
  case scheduler(command: String, problem: String)
  /// A task failed after every retry; `message` is the worker's own error or Slurm's state.
  case taskFailed(round: Int, task: Int, attempts: Int, message: String)
  /// The `shears` binary that workers run cannot be found.
  case workerNotFound(String)

  public var description: String {
    switch self {
    case .damaged(let path, let problem): return "job file \(path) is damaged: \(problem)"
    case .cannotWrite(let path, let reason): return "cannot write job file \(path): \(reason)"
    case .invalidOption(let m): return "invalid executor option: \(m)"
    case .scheduler(let command, let problem): return "\(command) failed: \(problem)"
    case .taskFailed(let round, let task, let attempts, let message):
      return "task \(task) of round \(round) failed \(attempts) time(s): \(message)"
    case .workerNotFound(let m):
      return "cannot find the shears binary for workers: \(m); set SHEARS_EXECUTABLE to its path"
    }
  }
}
