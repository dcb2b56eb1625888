/// Errors raised when the data handed to a chart cannot be drawn as described.
public enum RenderError: Error, Equatable, Sendable, CustomStringConvertible {
  /// A matrix, label list or series does not have the expected number of entries.
  case shapeMismatch(what: String, expected: Int, got: Int)
  /// A parameter is outside the values it may take.
  case invalidParameter(name: String, value: String, expected: String)

  /// A message that names the offending value and what was expected.
  public var description: String {
    switch self {
    case .shapeMismatch(let what, let expected, let got):
      return "\(what) has \(got) entries, but \(expected) were expected"
    case .invalidParameter(let name, let value, let expected):
      return "\(name) is \(value), but it must be \(expected)"
    }
  }
}
