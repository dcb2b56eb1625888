import CommandLanguage

/// What one cell did: the record a session keeps and replay compares.
///
/// Cells are numbered from 1 in the order ``Runtime/execute(_:)`` is called, errors and meta
/// commands included, so replaying the same inputs gives the same numbers (and so the same
/// random draws).
public struct CellOutcome: Sendable, Codable {
  /// How the cell ended.
  public enum Status: Sendable, Equatable, Codable {
    /// It ran to the end.
    case ok
    /// It failed; nothing after the failing statement ran.
    case error(ErrorKind, String)
    /// The user stopped it (Ctrl-C); the interrupted command bound nothing.
    case interrupted
  }

  /// Which stage failed.
  public enum ErrorKind: String, Sendable, Codable {
    /// Parsing or type checking: nothing ran.
    case check
    /// A command failed while running.
    case runtime
  }

  /// The cell number.
  public var number: Int
  /// The input text.
  public var input: String
  /// How it ended.
  public var status: Status
  /// The type of the last statement's value (`Model`; `Nothing` when it gave none).
  public var resultType: String
  /// The variable the last statement bound, if any.
  public var boundName: String?
  /// The result's figures, then figures the commands recorded (e.g. `train.loss`).
  public var figures: Figures
  /// What the shell showed, as plain text without ANSI codes (errors included; progress bars
  /// as their final lines).
  public var renderedText: String
  /// Wall seconds.
  public var elapsed: Double
  /// The content hash of every bound value after the cell, by name.
  public var bindingHashes: [String: String]
  /// The parse and type errors of a cell whose status is a `check` error, for rendering with a
  /// caret (not stored: ``renderedText`` keeps their text).
  public var diagnostics: [Diagnostic] = []
  /// Whether the cell was `:quit`.
  public var quit: Bool = false
  /// For an interrupted cell, the statement (from 0) that was stopped.
  public var stoppedAt: Int?
  /// Commands the user stopped that bound their result so far, and where (a replay stops
  /// them there); in the order they stopped.
  public var earlyStops: [EarlyStop] = []
  /// What commands measured on the machine (``RecordedMeasurement``), for a replay to use
  /// instead of measuring again; in the order they measured.
  public var measurements: [RecordedMeasurement] = []

  private enum CodingKeys: String, CodingKey {
    case number, input, status, resultType, boundName, figures, renderedText, elapsed
    case bindingHashes, quit, stoppedAt, earlyStops, measurements
  }

  /// Creates an outcome.
  public init(
    number: Int, input: String, status: Status = .ok, resultType: String = "Nothing",
    boundName: String? = nil, figures: Figures = Figures(), renderedText: String = "",
    elapsed: Double = 0, bindingHashes: [String: String] = [:]
  ) {
    self.number = number
    self.input = input
    self.status = status
    self.resultType = resultType
    self.boundName = boundName
    self.figures = figures
    self.renderedText = renderedText
    self.elapsed = elapsed
    self.bindingHashes = bindingHashes
  }

  /// Whether the cell ended `ok`.
  public var succeeded: Bool { status == .ok }
}
