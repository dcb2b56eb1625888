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
/// A failed cell has `"status": "error"` and `"error": {"stage": "runtime", "message": "…"}`;
/// a stopped one `"status": "interrupted"`; `:quit` has `"quit": true`.
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
  /// `ok`, `error` or `interrupted`.
  public var status: String
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

  /// Creates a cell record.
  public init(
    number: Int, input: String, status: String = "ok", error: Failure? = nil,
    resultType: String = "Nothing", boundName: String? = nil, figures: Figures = Figures(),
    renderedText: String = "", outputs: [CellOutput] = [], elapsed: Double = 0,
    bindingHashes: [String: String] = [:], bound: [BoundValue] = [], quit: Bool = false
  ) {
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
      bindingHashes: outcome.bindingHashes, bound: bound, quit: outcome.quit)
    (status, error) = Self.encode(outcome.status)
  }

  /// The status as the runtime reports it.
  var outcomeStatus: CellOutcome.Status {
    switch status {
    case "ok": return .ok
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
    case elapsed, bindingHashes, bound, quit
  }

  /// Decodes a cell; `outputs`, `bound` and `quit` may be absent.
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    number = try c.decode(Int.self, forKey: .number)
    input = try c.decode(String.self, forKey: .input)
    status = try c.decode(String.self, forKey: .status)
    guard ["ok", "error", "interrupted"].contains(status) else {
      throw DecodingError.dataCorruptedError(
        forKey: .status, in: c,
        debugDescription: "a cell's status is ok, error or interrupted, not \(status)")
    }
    error = try c.decodeIfPresent(Failure.self, forKey: .error)
    resultType = try c.decode(String.self, forKey: .resultType)
    boundName = try c.decodeIfPresent(String.self, forKey: .boundName)
    figures = try c.decode(Figures.self, forKey: .figures)
    renderedText = try c.decode(String.self, forKey: .renderedText)
    outputs = try c.decodeIfPresent([CellOutput].self, forKey: .outputs) ?? []
    elapsed = try c.decode(Double.self, forKey: .elapsed)
    bindingHashes = try c.decode([String: String].self, forKey: .bindingHashes)
    bound = try c.decodeIfPresent([BoundValue].self, forKey: .bound) ?? []
    quit = try c.decodeIfPresent(Bool.self, forKey: .quit) ?? false
  }

  /// Encodes a cell (`quit` only when true, `error` only for a failure).
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
  }
}
