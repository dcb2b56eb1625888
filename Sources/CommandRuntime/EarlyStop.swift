/// Where a command that the user stopped (Ctrl-C) bound its result so far, e.g. a blend's best
/// individual: the statement of the cell (from 0) and the command's own position, e.g. a
/// blend's `[generation, evaluations]`. A session records it with the cell; a replay hands it
/// back to the command (``CommandContext/recordedStop``), which stops at exactly that position,
/// so the stopped cell replays bit for bit.
///
/// JSON: `{"statement": 0, "position": [2, 5]}`.
public struct EarlyStop: Codable, Sendable, Hashable {
  /// The statement of the cell (from 0).
  public var statement: Int
  /// The command's position when it stopped, in its own terms.
  public var position: [Int]

  /// A stop record.
  public init(statement: Int, position: [Int]) {
    self.statement = statement
    self.position = position
  }
}
