import ArgumentParser

/// The `shears` command: the notebook shell for structured pruning, and its tools.
@main
struct Shears: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "shears",
    abstract: "A notebook shell for structured pruning of convolutional networks.",
    version: ShearsVersion.current,
    subcommands: [BenchCommand.self])
}

/// The engine version recorded in sessions and benchmark reports.
enum ShearsVersion {
  static let current = "0.1.0"
}
