import Testing

@testable import Render

@Suite struct NumberFormatTests {
  @Test func fixedDecimals() {
    #expect(NumberFormat.fixed(0.41249, decimals: 3) == "0.412")
    #expect(NumberFormat.fixed(2.5, decimals: 0) == "2")  // printf rounds half to even
    #expect(NumberFormat.fixed(-0.001, decimals: 2) == "0.00")
    #expect(NumberFormat.fixed(-1.236, decimals: 2) == "-1.24")
    #expect(NumberFormat.fixed(.nan, decimals: 2) == "n/a")
    #expect(NumberFormat.fixed(-.infinity, decimals: 2) == "-inf")
  }

  @Test func percentages() {
    #expect(NumberFormat.percent(0.851) == "85.1%")
    #expect(NumberFormat.percent(1) == "100.0%")
    #expect(NumberFormat.percent(0.5, decimals: 0) == "50%")
    // A change carries its sign, once; one that rounds to zero carries none.
    #expect(NumberFormat.signedPercent(0.0716) == "+7.2%")
    #expect(NumberFormat.signedPercent(-0.565) == "-56.5%")
    #expect(NumberFormat.signedPercent(-0.00001) == "0.0%")
    #expect(NumberFormat.percent(.nan) == "n/a")
  }

  @Test func thousandsSeparators() {
    #expect(NumberFormat.grouped(40_554_496) == "40,554,496")
    #expect(NumberFormat.grouped(999) == "999")
    #expect(NumberFormat.grouped(1000) == "1,000")
    #expect(NumberFormat.grouped(0) == "0")
    #expect(NumberFormat.grouped(-1234) == "-1,234")
    #expect(NumberFormat.grouped(1_234_567, separator: " ") == "1 234 567")
  }

  @Test func compactUnits() {
    #expect(NumberFormat.compact(12_345_678) == "12.3 M")
    #expect(NumberFormat.compact(40_554_496) == "40.6 M")
    #expect(NumberFormat.compact(1500) == "1.5 K")
    #expect(NumberFormat.compact(999) == "999")
    #expect(NumberFormat.compact(12.34) == "12.3")
    #expect(NumberFormat.compact(2_500_000_000, decimals: 2) == "2.50 G")
    // 999,960 is 999.96 K, which rounds to 1000.0 K: carried into the next unit.
    #expect(NumberFormat.compact(999_960) == "1.0 M")
    #expect(NumberFormat.compact(-3_000_000) == "-3.0 M")
    #expect(NumberFormat.compact(Double.nan) == "n/a")
  }

  @Test func shortAxisLabels() {
    #expect(NumberFormat.short(0.1234) == "0.123")
    #expect(NumberFormat.short(12.34) == "12.3")
    #expect(NumberFormat.short(0.05) == "0.05")
    #expect(NumberFormat.short(1234) == "1234")
    #expect(NumberFormat.short(-2.5) == "-2.5")
    #expect(NumberFormat.short(0) == "0")
    #expect(NumberFormat.short(1) == "1")
    #expect(NumberFormat.short(25_000) == "25.0 K")
  }

  @Test func durations() {
    #expect(NumberFormat.duration(seconds: 13) == "0:13")
    #expect(NumberFormat.duration(seconds: 13.4) == "0:13")
    #expect(NumberFormat.duration(seconds: 59.6) == "1:00")
    #expect(NumberFormat.duration(seconds: 0) == "0:00")
    #expect(NumberFormat.duration(seconds: 754) == "12:34")
    #expect(NumberFormat.duration(seconds: 3600) == "1:00:00")
    #expect(NumberFormat.duration(seconds: 3725) == "1:02:05")
    #expect(NumberFormat.duration(seconds: 36_000) == "10:00:00")
    #expect(NumberFormat.duration(seconds: -1) == "--:--")
    #expect(NumberFormat.duration(seconds: .nan) == "--:--")
    #expect(NumberFormat.duration(seconds: .infinity) == "--:--")
  }
}
