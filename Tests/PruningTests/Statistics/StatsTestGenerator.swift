import Foundation

/// A tiny fixed-seed generator for the tests (SplitMix64, Box–Muller), mirrored bit for bit by
/// the Python script that produced the scipy reference values (see the comments at each use):
///
/// ```python
/// M = (1 << 64) - 1
/// def next(s): s = (s + 0x9E3779B97F4A7C15) & M; z = s
///   z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M; z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M
///   return z ^ (z >> 31)
/// uniform = ((next >> 11) + 0.5) * 2**-53
/// normal = sqrt(-2 log u1) * cos(2 pi u2);  exponential = -log(u)
/// ```
struct StatsTestGenerator {
  private var state: UInt64

  init(seed: UInt64) { state = seed }

  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  mutating func uniform() -> Double { (Double(next() >> 11) + 0.5) * 0x1p-53 }

  mutating func normal() -> Double {
    let u1 = uniform()
    let u2 = uniform()
    return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
  }

  mutating func exponential() -> Double { -log(uniform()) }

  static func normals(seed: UInt64, count: Int) -> [Double] {
    var g = StatsTestGenerator(seed: seed)
    return (0..<count).map { _ in g.normal() }
  }

  static func exponentials(seed: UInt64, count: Int) -> [Double] {
    var g = StatsTestGenerator(seed: seed)
    return (0..<count).map { _ in g.exponential() }
  }
}

/// `|a − b| ≤ tolerance`.
func statsClose(_ a: Double, _ b: Double, _ tolerance: Double) -> Bool { abs(a - b) <= tolerance }

/// `|a − b| ≤ tolerance · |b|`.
func statsRelClose(_ a: Double, _ b: Double, _ tolerance: Double) -> Bool {
  abs(a - b) <= tolerance * abs(b)
}
