import CommandRuntime

/// One cell as a session stores it: the input, how it ended, its typed result and figures,
/// what it showed, how long it took, the hash of every binding after it, and the values it
/// bound (with their blobs).
///
/// JSON (keys sorted on disk):
/// ```json
/// {"number": 3, "input": "m = train m on d epochs=2", "status": "ok",
///  "resultType": "Model", "boundName": "m",
///  "figures": [{"name": "params", "count": 68954}, {"name": "train.loss", "float": 0.41}],
///  "renderedText": "…", "outputs": [{"progress": "epoch 1/2 …"}, {"text": "m: Model = …"}],
///  "elapsed": 3.2, "bindingHashes": {"d": "…", "m": "…"},
///  "bound": [{"name": "m", "type": "Model", "hash": "…", "blob": "…", "size": 273412}]}
/// ```
/// A text cell (narration, Markdown in `input`) has `"status": "text"`: it ran nothing and
/// keeps the bindings' hashes as they were. A failed cell has `"status": "error"` and
/// `"error": {"stage": "runtime", "message": "…"}`; a stopped one `"status": "interrupted"`
/// and `"stoppedAt": k` (the statement that was stopped, from 0); `:quit` has
/// `"quit": true`. A cell where a command was stopped but bound its result so far (a blend's
/// best so far) has `"earlyStops": [{"statement": 0, "position": [2, 5]}]`, which replay hands
/// back to the command so that it stops at the same place. A cell where a command measured the
/// machine (`profile`'s timings) keeps what it measured in `measurements`
/// (``CommandRuntime/RecordedMeasurement``), which replay hands back instead of measuring
/// again. `chain` links the cell to the one before it (see ``SessionChain``).
///
/// Decoding validates every field: the number is at least 1, names are words of the language,
/// types are types a value can have, hashes and blob names are 16 hex digits, the elapsed time
/// is a finite number of seconds, and an error record comes exactly with an error status.
public struct SessionCell: Hashable, Sendable, Codable {
  /// How a failed cell failed.
  public struct Failure: Hashable, Sendable, Codable {
    /// `check` (parse or type error: nothing ran) or `runtime`.
    public internal(set) var stage: String
    /// The error text.
    public var message: String

    /// Creates a failure record.
    public init(stage: String, message: String) {
      self.stage = stage
      self.message = message
    }
  }

  /// The cell number (from 1).
  public var number: Int
  /// The input text.
  public var input: String
  /// `ok`, `error`, `interrupted`, or `text` for narration.
  public var status: String

  /// The status of a text cell: narration that runs nothing.
  public static let textStatus = "text"

  /// Whether this cell is narration (Markdown in ``input``), not a command.
  public var isText: Bool { status == Self.textStatus }
  /// The failure, when the status is `error`.
  public internal(set) var error: Failure?
  /// The type of the last statement's value.
  public var resultType: String
  /// The variable the last statement bound.
  public var boundName: String?
  /// The result's figures, then the figures commands recorded.
  public var figures: Figures
  /// What the shell showed, as plain text.
  public var renderedText: String
  /// What the shell showed, piece by piece (for export).
  public internal(set) var outputs: [CellOutput]
  /// Wall seconds.
  public var elapsed: Double
  /// The content hash of every bound value after the cell.
  public var bindingHashes: [String: String]
  /// The values this cell bound, in the order it bound them.
  public internal(set) var bound: [BoundValue]
  /// Whether the cell was `:quit`.
  public var quit: Bool
  /// For an interrupted cell, the statement that was stopped (from 0): replay runs the ones
  /// before it and stops there.
  public var stoppedAt: Int?
  /// Commands stopped early that bound their result so far, and where (``EarlyStop``).
  public var earlyStops: [EarlyStop] = []
  /// What commands measured on the machine, for replay to use instead of measuring again.
  public var measurements: [RecordedMeasurement] = []
  /// The link of this cell in the session's hash chain (nil until it is recorded).
  public var chain: String?

  /// Creates a cell record.
  public init(
    number: Int, input: String, status: String = "ok", error: Failure? = nil,
    resultType: String = "Nothing", boundName: String? = nil, figures: Figures = Figures(),
    renderedText: String = "", outputs: [CellOutput] = [], elapsed: Double = 0,
    bindingHashes: [String: String] = [:], bound: [BoundValue] = [], quit: Bool = false,
    stoppedAt: Int? = nil
  ) {
    self.stoppedAt = stoppedAt
    self.number = number
    self.input = input
    self.status = status
    self.error = error
    self.resultType = resultType
    self.boundName = boundName
    self.figures = figures
    self.renderedText = renderedText
    self.outputs = outputs
    self.elapsed = elapsed
    self.bindingHashes = bindingHashes
    self.bound = bound
    self.quit = quit
  }

  /// The record of a runtime outcome, with what it showed and the values it bound.
  public init(_ outcome: CellOutcome, outputs: [CellOutput] = [], bound: [BoundValue] = []) {
    self.init(
      number: outcome.number, input: outcome.input, resultType: outcome.resultType,
      boundName: outcome.boundName, figures: outcome.figures,
      renderedText: outcome.renderedText, outputs: outputs, elapsed: outcome.elapsed,
      bindingHashes: outcome.bindingHashes, bound: bound, quit: outcome.quit,
      stoppedAt: outcome.stoppedAt)
    earlyStops = outcome.earlyStops
    measurements = outcome.measurements
    (status, error) = Self.encode(outcome.status)
  }

  /// The status as the runtime reports it.
  var outcomeStatus: CellOutcome.Status {
    switch status {
    case "ok", Self.textStatus: return .ok
    case "interrupted": return .interrupted
    default:
      let stage = CellOutcome.ErrorKind(rawValue: error?.stage ?? "") ?? .runtime
      return .error(stage, error?.message ?? "")
    }
  }

  /// The status in a few words: `ok`, `interrupted`, `check error`, `runtime error`.
  public var statusSummary: String {
    status == "error" ? "\(error?.stage ?? "runtime") error" : status
  }

  /// The status and the failure record of a runtime status.
  static func encode(_ status: CellOutcome.Status) -> (String, Failure?) {
    switch status {
    case .ok: return ("ok", nil)
    case .interrupted: return ("interrupted", nil)
    case .error(let kind, let message):
      return ("error", Failure(stage: kind.rawValue, message: message))
    }
  }

  private enum CodingKeys: String, CodingKey {
    case number, input, status, error, resultType, boundName, figures, renderedText, outputs
    case elapsed, bindingHashes, bound, quit, stoppedAt, earlyStops, measurements, chain
  }

  /// Decodes a cell, validating every field; `outputs`, `bound`, `quit`, `stoppedAt`,
  /// `earlyStops`, `measurements` and `chain` may be absent (a cell recorded before
  /// measurements were kept replays by measuring again).
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    func invalid(_ key: CodingKeys, _ message: String) -> DecodingError {
      DecodingError.dataCorruptedError(forKey: key, in: c, debugDescription: message)
    }
    number = try c.decode(Int.self, forKey: .number)
    guard number >= 1 else { throw invalid(.number, "a cell number is at least 1, not \(number)") }
    input = try c.decode(String.self, forKey: .input)
    status = try c.decode(String.self, forKey: .status)
    guard ["ok", "error", "interrupted", Self.textStatus].contains(status) else {
      throw invalid(.status, "a cell's status is ok, error, interrupted or text, not \(status)")
    }
    error = try c.decodeIfPresent(Failure.self, forKey: .error)
    if (status == "error") != (error != nil) {
      throw invalid(.error, "an error record comes with the status error, and only with it")
    }
    if let error, !["check", "runtime"].contains(error.stage) {
      throw invalid(.error, "an error's stage is check or runtime, not \(error.stage)")
    }
    resultType = try c.decode(String.self, forKey: .resultType)
    guard SessionValidation.isTypeName(resultType) else {
      throw invalid(.resultType, "'\(resultType)' is not a type")
    }
    boundName = try c.decodeIfPresent(String.self, forKey: .boundName)
    if let boundName, !SessionValidation.isName(boundName) {
      throw invalid(.boundName, "'\(boundName)' is not a variable name")
    }
    figures = try c.decode(Figures.self, forKey: .figures)
    renderedText = try c.decode(String.self, forKey: .renderedText)
    outputs = try c.decodeIfPresent([CellOutput].self, forKey: .outputs) ?? []
    elapsed = try c.decode(Double.self, forKey: .elapsed)
    guard elapsed.isFinite, elapsed >= 0 else {
      throw invalid(.elapsed, "elapsed is a number of seconds, not \(elapsed)")
    }
    bindingHashes = try c.decode([String: String].self, forKey: .bindingHashes)
    for (name, hash) in bindingHashes {
      guard SessionValidation.isName(name), SessionValidation.isHash(hash) else {
        throw invalid(.bindingHashes, "'\(name)': '\(hash)' is not a name with a 16-digit hash")
      }
    }
    bound = try c.decodeIfPresent([BoundValue].self, forKey: .bound) ?? []
    quit = try c.decodeIfPresent(Bool.self, forKey: .quit) ?? false
    stoppedAt = try c.decodeIfPresent(Int.self, forKey: .stoppedAt)
    if let stoppedAt, stoppedAt < 0 || status != "interrupted" {
      throw invalid(.stoppedAt, "stoppedAt belongs to an interrupted cell and is at least 0")
    }
    earlyStops = try c.decodeIfPresent([EarlyStop].self, forKey: .earlyStops) ?? []
    for stop in earlyStops where stop.statement < 0 || stop.position.contains(where: { $0 < 0 }) {
      throw invalid(.earlyStops, "an early stop's statement and position are at least 0")
    }
    measurements =
      try c.decodeIfPresent([RecordedMeasurement].self, forKey: .measurements) ?? []
    for m in measurements
    where m.statement < 0 || !SessionValidation.isName(m.command) || m.archive.isEmpty {
      throw invalid(
        .measurements,
        "a measurement has a statement of at least 0, a command's name and an archive")
    }
    chain = try c.decodeIfPresent(String.self, forKey: .chain)
    if let chain, !SessionValidation.isHash(chain) {
      throw invalid(.chain, "the chain link is 16 hex digits, not '\(chain)'")
    }
  }

  /// Encodes a cell (`quit` only when true, `error` only for a failure, `earlyStops` and
  /// `measurements` only when there are some, so older cells keep their chain links).
  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(number, forKey: .number)
    try c.encode(input, forKey: .input)
    try c.encode(status, forKey: .status)
    try c.encodeIfPresent(error, forKey: .error)
    try c.encode(resultType, forKey: .resultType)
    try c.encodeIfPresent(boundName, forKey: .boundName)
    try c.encode(figures, forKey: .figures)
    try c.encode(renderedText, forKey: .renderedText)
    try c.encode(outputs, forKey: .outputs)
    try c.encode(elapsed, forKey: .elapsed)
    try c.encode(bindingHashes, forKey: .bindingHashes)
    try c.encode(bound, forKey: .bound)
    if quit { try c.encode(quit, forKey: .quit) }
    try c.encodeIfPresent(stoppedAt, forKey: .stoppedAt)
    if !earlyStops.isEmpty { try c.encode(earlyStops, forKey: .earlyStops) }
    if !measurements.isEmpty { try c.encode(measurements, forKey: .measurements) }
    try c.encodeIfPresent(chain, forKey: .chain)
  }
}
