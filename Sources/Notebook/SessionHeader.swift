import Foundation

/// What a session says about itself before its cells: the format, the engine version, when it
/// was started, the options its runtime ran with, and where it ran.
///
/// It is the head of a session file and the first line of a journal.
public struct SessionHeader: Hashable, Sendable, Codable {
  /// The format (``SessionFormat/current`` when written by this build).
  public internal(set) var format: SessionFormat
  /// The Shears version that recorded it, e.g. `0.1.0`.
  public internal(set) var engine: String
  /// When recording began, ISO 8601 in UTC.
  public internal(set) var created: String
  /// The runtime settings.
  public var options: SessionOptions
  /// Where it ran.
  public var environment: EnvironmentFingerprint

  /// Creates a header.
  public init(
    format: SessionFormat = .current, engine: String, created: String = SessionHeader.now(),
    options: SessionOptions, environment: EnvironmentFingerprint
  ) {
    self.format = format
    self.engine = engine
    self.created = created
    self.options = options
    self.environment = environment
  }

  /// The current time, ISO 8601 in UTC with seconds.
  public static func now() -> String {
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withInternetDateTime]
    return formatter.string(from: Date())
  }

  private enum CodingKeys: String, CodingKey {
    case format, engine, created, options, environment
  }

  /// Decodes a header (the format must be readable: see ``SessionFile``).
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    let text = try c.decode(String.self, forKey: .format)
    guard let format = SessionFormat(parsing: text) else {
      throw DecodingError.dataCorruptedError(
        forKey: .format, in: c, debugDescription: "the format is \(SessionFormat.current)")
    }
    self.format = format
    engine = try c.decode(String.self, forKey: .engine)
    created = try c.decode(String.self, forKey: .created)
    options = try c.decode(SessionOptions.self, forKey: .options)
    environment = try c.decode(EnvironmentFingerprint.self, forKey: .environment)
  }

  /// Encodes a header.
  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(format.description, forKey: .format)
    try c.encode(engine, forKey: .engine)
    try c.encode(created, forKey: .created)
    try c.encode(options, forKey: .options)
    try c.encode(environment, forKey: .environment)
  }
}
