import Foundation

/// Formatting helpers for numbers in table cells, chart labels and progress lines.
///
/// Every helper writes `n/a` for NaN, so a missing figure shows as a gap rather than a crash.
/// ```swift
/// NumberFormat.fixed(0.41249, decimals: 3)   // "0.412"
/// NumberFormat.percent(0.851)                // "85.1%"
/// NumberFormat.grouped(40_554_496)           // "40,554,496"
/// NumberFormat.compact(12_345_678)           // "12.3 M"
/// NumberFormat.duration(seconds: 3725)       // "1:02:05"
/// ```
public enum NumberFormat {
  /// The text drawn for a value that is not a number.
  static let notAvailable = "n/a"

  /// `value` with exactly `decimals` digits after the point (`-0.00` is written `0.00`).
  public static func fixed(_ value: Double, decimals: Int) -> String {
    if value.isNaN { return notAvailable }
    if value.isInfinite { return value > 0 ? "inf" : "-inf" }
    let places = max(0, min(decimals, 17))
    let text = String(format: "%.\(places)f", value)
    if text.hasPrefix("-"), text.dropFirst().allSatisfy({ $0 == "0" || $0 == "." }) {
      return String(text.dropFirst())
    }
    return text
  }

  /// `value` with `decimals` places, like ``fixed(_:decimals:)``, except that a value which
  /// is not zero but would show as zero gets three significant digits instead: `0.000021`
  /// with 3 decimals is "2.10e-05", not "0.000" (a bar chart of small scores must not label
  /// every bar 0.000).
  ///
  /// ```swift
  /// NumberFormat.label(0.000021, decimals: 3)  // "2.10e-05"
  /// NumberFormat.label(0.25, decimals: 3)      // "0.250"
  /// ```
  public static func label(_ value: Double, decimals: Int) -> String {
    let text = fixed(value, decimals: decimals)
    guard value.isFinite, value != 0,
      text.allSatisfy({ $0 == "0" || $0 == "." || $0 == "-" })
    else { return text }
    return String(format: "%.2e", value)
  }

  /// `fraction` (0.851) as a percentage with `decimals` digits ("85.1%").
  public static func percent(_ fraction: Double, decimals: Int = 1) -> String {
    if fraction.isNaN { return notAvailable }
    return fixed(fraction * 100, decimals: decimals) + "%"
  }

  /// A signed change as a percentage: "+7.2%", "-56.5%", "0.0%" (no sign where it rounds to
  /// zero), e.g. the relative change of FLOPs from one model to another.
  public static func signedPercent(_ fraction: Double, decimals: Int = 1) -> String {
    if fraction.isNaN { return notAvailable }
    let text = percent(fraction.magnitude, decimals: decimals)
    if text.allSatisfy({ "0.%".contains($0) }) { return text }
    return (fraction < 0 ? "-" : "+") + text
  }

  /// An integer with a separator every three digits ("40,554,496").
  public static func grouped(_ value: Int, separator: String = ",") -> String {
    let digits = String(value.magnitude)
    var out = ""
    for (index, digit) in digits.enumerated() {
      if index > 0 && (digits.count - index) % 3 == 0 { out += separator }
      out.append(digit)
    }
    return value < 0 ? "-" + out : out
  }

  /// A large magnitude with a unit suffix and `decimals` digits ("12.3 M", "1.5 G", "980").
  ///
  /// Values below 1000 are written without a suffix: integral values as integers, others with
  /// `decimals` digits. Suffixes are K, M, G, T, P (powers of 1000).
  public static func compact(_ value: Double, decimals: Int = 1) -> String {
    if value.isNaN { return notAvailable }
    if value.isInfinite { return value > 0 ? "inf" : "-inf" }
    let suffixes = ["", "K", "M", "G", "T", "P"]
    var scaled = value
    var unit = 0
    while abs(scaled) >= 1000 && unit < suffixes.count - 1 {
      scaled /= 1000
      unit += 1
    }
    if unit == 0 {
      return scaled == scaled.rounded()
        ? fixed(scaled, decimals: 0) : fixed(scaled, decimals: decimals)
    }
    var text = fixed(scaled, decimals: decimals)
    // Rounding may carry into the next unit (999.96 K -> "1000.0 K" -> "1.0 M").
    if let rounded = Double(text), abs(rounded) >= 1000, unit < suffixes.count - 1 {
      scaled /= 1000
      unit += 1
      text = fixed(scaled, decimals: decimals)
    }
    return text + " " + suffixes[unit]
  }

  /// `compact` for integer counts such as parameter or FLOP counts.
  public static func compact(_ value: Int, decimals: Int = 1) -> String {
    compact(Double(value), decimals: decimals)
  }

  /// A short label with about three significant digits and no trailing zeros, for chart axes
  /// ("0.123", "12.3", "0.05", "1234", "12.3 K").
  public static func short(_ value: Double) -> String {
    if value.isNaN { return notAvailable }
    if value.isInfinite { return value > 0 ? "inf" : "-inf" }
    if value == 0 { return "0" }
    let magnitude = abs(value)
    if magnitude >= 10_000 { return compact(value, decimals: 1) }
    if magnitude < 0.001 { return String(format: "%.1e", value) }
    let exponent = Int(floor(log10(magnitude)))
    let decimals = max(0, min(4, 2 - exponent))
    return trimmingZeros(fixed(value, decimals: decimals))
  }

  /// A duration as `m:ss` below one hour and `h:mm:ss` from one hour, rounded to the second;
  /// `--:--` when the duration is negative, infinite or NaN.
  static func duration(seconds: Double) -> String {
    guard seconds.isFinite, seconds >= 0, seconds < 1e12 else { return "--:--" }
    let total = Int(seconds.rounded())
    let hours = total / 3600
    let minutes = (total % 3600) / 60
    let secs = total % 60
    if hours > 0 {
      return "\(hours):\(twoDigits(minutes)):\(twoDigits(secs))"
    }
    return "\(minutes):\(twoDigits(secs))"
  }

  private static func twoDigits(_ value: Int) -> String {
    value < 10 ? "0\(value)" : "\(value)"
  }

  /// Removes trailing zeros after a decimal point, and the point itself when nothing remains.
  static func trimmingZeros(_ text: String) -> String {
    guard text.contains(".") else { return text }
    var out = Substring(text)
    while out.last == "0" { out.removeLast() }
    if out.last == "." { out.removeLast() }
    return out == "-0" ? "0" : String(out)
  }
}
