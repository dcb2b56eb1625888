import CommandLanguage

extension ParameterSpec {
  /// Where a command's fitness evaluations run (`blend`, `sensitivity`): in process, or as
  /// Slurm array jobs (README "Running on a cluster", `explain executor`).
  static let execution = [
    ParameterSpec(
      "executor", .text, .keyword, default: .value(.symbol("local")), symbols: ["local", "slurm"],
      summary: "where evaluations run: in this process, or as Slurm array jobs"),
    ParameterSpec(
      "partition", .text, .keyword, default: .optional,
      summary: "Slurm partition (executor=slurm; default: the cluster's)"),
    ParameterSpec(
      "tasks", .number, .keyword, default: .value(.number(8)), range: .closed(1, 10_000),
      integerOnly: true, summary: "Slurm array tasks per round (executor=slurm)"),
    ParameterSpec(
      "time", .text, .keyword, default: .optional,
      summary: "Slurm time limit per task, e.g. \"30:00\" (executor=slurm)"),
    ParameterSpec(
      "retries", .number, .keyword, default: .value(.number(2)), range: .closed(0, 100),
      integerOnly: true, summary: "re-submissions of a failed or lost task (executor=slurm)"),
    ParameterSpec(
      "workdir", .text, .keyword, default: .optional,
      summary: "job folders, on a file system the nodes share (executor=slurm)"),
  ]

  /// The names of ``execution`` parameters in `signature` (none when it takes no `executor`):
  /// they say where work runs, never what it computes, so the randomness key leaves them out.
  static func executionNames(of signature: CommandSignature) -> Set<String> {
    guard signature.parameters.contains(where: { $0.name == "executor" }) else { return [] }
    return Set(execution.map(\.name))
  }
}
