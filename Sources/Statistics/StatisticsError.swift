/// Why a statistic could not be computed from the data it was given.
///
/// Every case names the statistic (`what`) and the offending value so that the message tells a
/// user what to change.
public enum StatisticsError: Error, Equatable, Sendable, CustomStringConvertible {
  /// Two inputs that must be paired element by element have different lengths.
  case lengthMismatch(what: String, first: Int, second: Int)
  /// Too few values: `what` needs at least `minimum` values but got `actual`.
  case tooFewValues(what: String, minimum: Int, actual: Int)
  /// Too many values: `what` is only valid for at most `maximum` values but got `actual`.
  case tooManyValues(what: String, maximum: Int, actual: Int)
  /// A value is NaN or infinite.
  case nonFiniteValue(what: String, index: Int)
  /// All values are equal, so the statistic (a correlation, a standardisation, a test) is
  /// undefined.
  case constantInput(what: String)
  /// A parameter lies outside its valid range.
  case invalidParameter(what: String, value: Double, expected: String)
  /// A matrix was built with storage that does not match its shape.
  case shapeMismatch(rows: Int, cols: Int, storageCount: Int)

  /// A message naming the statistic, the offending value and what was expected.
  public var description: String {
    switch self {
    case .lengthMismatch(let what, let first, let second):
      return "\(what): the two inputs must have the same length, but have \(first) and \(second)"
        + " values."
    case .tooFewValues(let what, let minimum, let actual):
      return "\(what) needs at least \(minimum) values, but got \(actual)."
    case .tooManyValues(let what, let maximum, let actual):
      return "\(what) is valid for at most \(maximum) values, but got \(actual); pass a"
        + " subsample."
    case .nonFiniteValue(let what, let index):
      return "\(what): value at index \(index) is NaN or infinite; remove or replace it."
    case .constantInput(let what):
      return "\(what) is undefined because all values are equal (zero variance)."
    case .invalidParameter(let what, let value, let expected):
      return "\(what) = \(value) is invalid; expected \(expected)."
    case .shapeMismatch(let rows, let cols, let storageCount):
      return "A \(rows)×\(cols) matrix needs \(rows * cols) values, but \(storageCount) were"
        + " given."
    }
  }
}
