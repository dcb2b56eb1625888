/// What a command measured on the machine it ran on — timings, which no other run measures
/// alike — kept with the cell so that a replay hands it back instead of measuring again: the
/// statement of the cell (from 0), the command, and the archive of what it measured (a
/// ``LatencyValue``'s JSON for `profile`). A session records it with the cell (its hash chain
/// covers it); a replay gives it back to the command (``CommandContext/recordedMeasurement()``),
/// so the value it binds, and every plan made from it, replays bit for bit.
///
/// JSON: `{"statement": 0, "command": "profile", "archive": "{\"batch\":128,…}"}`.
public struct RecordedMeasurement: Codable, Sendable, Hashable {
  /// The statement of the cell (from 0).
  public var statement: Int
  /// The command that measured.
  public var command: String
  /// The archive of what it measured, as its JSON text.
  public var archive: String

  /// A measurement record.
  public init(statement: Int, command: String, archive: String) {
    self.statement = statement
    self.command = command
    self.archive = archive
  }

  /// The archive's bytes.
  public var bytes: [UInt8] { Array(archive.utf8) }
}

/// What a command that measures finds when it asks for a recorded measurement.
public enum MeasurementReplay: Sendable, Equatable {
  /// Not a replay: measure, and record what was measured.
  case live
  /// A replay of a cell that recorded what this command measured: use these bytes.
  case recorded([UInt8])
  /// A replay of a cell that recorded nothing for this command (a session from a Shears that
  /// did not record measurements): measure again.
  case notRecorded
}
