/// What a ``SlurmExecutor`` did, for a caller that shows or records it (the executor never
/// prints).
public enum SlurmEvent: Sendable, Equatable {
  /// An array job was submitted for some tasks of a round.
  case submitted(round: Int, job: String, tasks: [Int])
  /// A task failed or was lost and is submitted again (`attempt` counts from 2).
  case retrying(round: Int, task: Int, attempt: Int, reason: String)
  /// Every result of a round is in and checked, `seconds` after the first submission.
  case gathered(round: Int, items: Int, seconds: Double)
  /// The round was cancelled (stop asked).
  case cancelled(round: Int, jobs: [String])
}
