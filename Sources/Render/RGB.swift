/// An sRGB colour with 8-bit channels, convertible to SVG hex and the ANSI 256-colour palette.
public struct RGB: Sendable, Equatable, Hashable {
  /// Red channel, 0–255.
  public internal(set) var red: UInt8
  /// Green channel, 0–255.
  public internal(set) var green: UInt8
  /// Blue channel, 0–255.
  public internal(set) var blue: UInt8

  /// Creates a colour from its three channels.
  public init(_ red: UInt8, _ green: UInt8, _ blue: UInt8) {
    self.red = red
    self.green = green
    self.blue = blue
  }

  /// The colour as `#rrggbb` (lower-case hex), as SVG and CSS take it.
  public var hex: String {
    let digits = Array("0123456789abcdef")
    var out = "#"
    for channel in [red, green, blue] {
      out.append(digits[Int(channel >> 4)])
      out.append(digits[Int(channel & 0x0F)])
    }
    return out
  }

  /// The nearest entry of the 6×6×6 colour cube in the ANSI 256-colour palette (16–231):
  /// `16 + 36·r + 6·g + b` where r, g, b are the nearest of the levels 0, 95, 135, 175, 215, 255.
  var ansi256: Int {
    16 + 36 * Self.cubeLevel(red) + 6 * Self.cubeLevel(green) + Self.cubeLevel(blue)
  }

  /// Perceived brightness in 0–255 (Rec. 709 weights on the encoded channels).
  var brightness: Double {
    0.2126 * Double(red) + 0.7152 * Double(green) + 0.0722 * Double(blue)
  }

  /// Black on light colours and white on dark ones, for text drawn over this colour.
  var contrastingText: RGB {
    brightness > 128 ? RGB(0, 0, 0) : RGB(255, 255, 255)
  }

  /// The colour a fraction `t` (0–1) of the way from `self` to `other`, channels rounded.
  func mixed(with other: RGB, _ t: Double) -> RGB {
    func channel(_ a: UInt8, _ b: UInt8) -> UInt8 {
      let value = (Double(a) + (Double(b) - Double(a)) * t).rounded()
      return UInt8(max(0, min(255, value)))
    }
    return RGB(channel(red, other.red), channel(green, other.green), channel(blue, other.blue))
  }

  private static let cubeLevels = [0, 95, 135, 175, 215, 255]

  private static func cubeLevel(_ channel: UInt8) -> Int {
    var best = 0
    for (index, level) in cubeLevels.enumerated()
    where abs(Int(channel) - level) < abs(Int(channel) - cubeLevels[best]) {
      best = index
    }
    return best
  }
}
