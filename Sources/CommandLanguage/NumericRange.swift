/// The numbers a parameter accepts: an optional lower and upper bound, each closed or open.
///
/// ```swift
/// NumericRange.halfOpen(0, 1)   // [0, 1)
/// NumericRange.atLeast(1)       // [1, ∞)
/// ```
public struct NumericRange: Hashable, Sendable, CustomStringConvertible {
  /// One end of a range.
  public struct Bound: Hashable, Sendable {
    /// The bound's value.
    public var value: Double
    /// Whether the bound itself is allowed.
    var isInclusive: Bool

    /// Creates a bound.
    public init(_ value: Double, inclusive: Bool) {
      self.value = value
      self.isInclusive = inclusive
    }
  }

  /// The lower bound, or nil for none.
  public internal(set) var lower: Bound?
  /// The upper bound, or nil for none.
  public internal(set) var upper: Bound?

  /// Creates a range from optional bounds.
  public init(lower: Bound?, upper: Bound?) {
    self.lower = lower
    self.upper = upper
  }

  /// `[low, high]`.
  public static func closed(_ low: Double, _ high: Double) -> NumericRange {
    NumericRange(lower: Bound(low, inclusive: true), upper: Bound(high, inclusive: true))
  }

  /// `[low, high)`.
  public static func halfOpen(_ low: Double, _ high: Double) -> NumericRange {
    NumericRange(lower: Bound(low, inclusive: true), upper: Bound(high, inclusive: false))
  }

  /// `(low, high)`.
  public static func open(_ low: Double, _ high: Double) -> NumericRange {
    NumericRange(lower: Bound(low, inclusive: false), upper: Bound(high, inclusive: false))
  }

  /// `[low, ∞)`.
  public static func atLeast(_ low: Double) -> NumericRange {
    NumericRange(lower: Bound(low, inclusive: true), upper: nil)
  }

  /// `(low, ∞)`.
  public static func greaterThan(_ low: Double) -> NumericRange {
    NumericRange(lower: Bound(low, inclusive: false), upper: nil)
  }

  /// `(-∞, high]`.
  public static func atMost(_ high: Double) -> NumericRange {
    NumericRange(lower: nil, upper: Bound(high, inclusive: true))
  }

  /// Whether `value` lies within the bounds.
  public func contains(_ value: Double) -> Bool {
    if let lower, value < lower.value || (!lower.isInclusive && value == lower.value) {
      return false
    }
    if let upper, value > upper.value || (!upper.isInclusive && value == upper.value) {
      return false
    }
    return !value.isNaN
  }

  /// Words for messages: `in [0, 1)`, `at least 1`, `greater than 0`, `at most 5`.
  public var description: String { description(inPercent: false) }

  /// Words for messages, with the bounds shown as percentages (`in [0%, 100%)`) when
  /// `inPercent` is true, to match a value the user wrote as a percentage.
  public func description(inPercent: Bool) -> String {
    func show(_ value: Double) -> String {
      inPercent ? Literal.format(value * 100) + "%" : Literal.format(value)
    }
    switch (lower, upper) {
    case (let lower?, let upper?):
      return "in \(lower.isInclusive ? "[" : "(")\(show(lower.value)), "
        + "\(show(upper.value))\(upper.isInclusive ? "]" : ")")"
    case (let lower?, nil):
      return (lower.isInclusive ? "at least " : "greater than ") + show(lower.value)
    case (nil, let upper?):
      return (upper.isInclusive ? "at most " : "less than ") + show(upper.value)
    case (nil, nil):
      return "any number"
    }
  }
}
