/// Maps values to colours and shade levels: diverging around the middle of a range (for
/// correlations in [-1, 1]) or sequential from its low end (for values in [0, 1]).
///
/// ```swift
/// let scale = ColorScale.correlation          // diverging over -1...1
/// scale.color(for: 1)?.hex                    // "#b2182b" (dark red)
/// scale.shadeLevel(for: -0.5)                 // 2 of 0...4
/// ```
public struct ColorScale: Sendable, Equatable {
  /// How values map to colours.
  public enum Kind: Sendable, Equatable {
    /// Blue below the centre, white at it, red above (ColorBrewer RdBu).
    case diverging
    /// Dark to light along the viridis palette.
    case sequential
  }

  /// The mapping.
  public var kind: Kind
  /// The value drawn with the first colour of the palette; lower values are clamped to it.
  public internal(set) var minimum: Double
  /// The value drawn with the last colour of the palette; higher values are clamped to it.
  public internal(set) var maximum: Double

  /// Creates a scale; `minimum` and `maximum` are swapped when given in the wrong order.
  public init(kind: Kind, minimum: Double, maximum: Double) {
    self.kind = kind
    self.minimum = Swift.min(minimum, maximum)
    self.maximum = Swift.max(minimum, maximum)
  }

  /// A diverging scale over `min...max`, centred at the midpoint.
  public static func diverging(min: Double = -1, max: Double = 1) -> ColorScale {
    ColorScale(kind: .diverging, minimum: min, maximum: max)
  }

  /// A sequential scale over `min...max`.
  public static func sequential(min: Double = 0, max: Double = 1) -> ColorScale {
    ColorScale(kind: .sequential, minimum: min, maximum: max)
  }

  /// The diverging scale over -1...1, for correlations.
  public static let correlation = ColorScale.diverging(min: -1, max: 1)

  /// A sequential scale spanning the finite values given (0...1 when there are none).
  public static func sequential(fitting values: [Double]) -> ColorScale {
    let finite = values.filter(\.isFinite)
    guard let low = finite.min(), let high = finite.max() else { return .sequential() }
    return .sequential(min: low, max: high)
  }

  /// The centre of the range (where a diverging scale is white).
  var center: Double { (minimum + maximum) / 2 }

  /// Where `value` lies in the range, clamped to 0...1; 0.5 for an empty range; nil for NaN.
  public func position(of value: Double) -> Double? {
    if value.isNaN { return nil }
    let span = maximum - minimum
    guard span > 0, span.isFinite else { return 0.5 }
    return Swift.max(0, Swift.min(1, (value - minimum) / span))
  }

  /// The colour drawn for `value`, or nil for NaN.
  public func color(for value: Double) -> RGB? {
    guard let t = position(of: value) else { return nil }
    let stops = kind == .diverging ? Self.divergingStops : Self.sequentialStops
    let scaled = t * Double(stops.count - 1)
    let index = Swift.min(stops.count - 2, Int(scaled))
    return stops[index].mixed(with: stops[index + 1], scaled - Double(index))
  }

  /// The intensity of `value` in 0...1: for a diverging scale the distance from the centre over
  /// half the range, for a sequential one the position in the range; nil for NaN.
  func intensity(of value: Double) -> Double? {
    guard let t = position(of: value) else { return nil }
    switch kind {
    case .sequential:
      return t
    case .diverging:
      let half = (maximum - minimum) / 2
      guard half > 0, half.isFinite else { return 0 }
      return Swift.min(1, abs(value - center) / half)
    }
  }

  /// The number of shade levels (0 = blank … 4 = full).
  static let shadeLevels = 5

  /// The shade level (0...4) of `value`: intensity in [0, 0.2) → 0, [0.2, 0.4) → 1, …,
  /// [0.8, 1] → 4; nil for NaN.
  func shadeLevel(for value: Double) -> Int? {
    guard let f = intensity(of: value) else { return nil }
    return Swift.min(Self.shadeLevels - 1, Int(f * Double(Self.shadeLevels) + 1e-9))
  }

  /// ColorBrewer RdBu (reversed so negative is blue), five stops.
  static let divergingStops = [
    RGB(33, 102, 172), RGB(146, 197, 222), RGB(247, 247, 247), RGB(244, 165, 130),
    RGB(178, 24, 43),
  ]

  /// Viridis, five stops.
  static let sequentialStops = [
    RGB(68, 1, 84), RGB(59, 82, 139), RGB(33, 145, 140), RGB(94, 201, 98), RGB(253, 231, 37),
  ]
}
