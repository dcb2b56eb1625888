import Foundation

/// A tiny fixed-seed generator for the tests (SplitMix64; Box–Muller normals), independent of
/// the engine's `SeededRNG` and mirrored bit for bit by the Python that produced the scipy
/// reference values of the statistics tests:
///
/// ```python
/// M = (1 << 64) - 1
/// def next(s): s = (s + 0x9E3779B97F4A7C15) & M; z = s
///   z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M; z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M
///   return z ^ (z >> 31)
/// uniform = ((next >> 11) + 0.5) * 2**-53
/// normal = sqrt(-2 log u1) * cos(2 pi u2);  exponential = -log(u)
/// ```
///
/// ```swift
/// var g = TestGenerator(seed: 7)
/// let x = g.floats(16)                      // Floats in [-1, 1)
/// let y = TestGenerator.normals(seed: 1, count: 50)
/// ```
public struct TestGenerator {
  /// The SplitMix64 state.
  public var state: UInt64

  /// A generator starting at `seed`.
  public init(seed: UInt64) { state = seed }

  /// The next 64 random bits.
  public mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  /// A uniform Double in (0, 1), from the top 53 bits.
  public mutating func uniform() -> Double { (Double(next() >> 11) + 0.5) * 0x1p-53 }

  /// A standard normal draw (Box–Muller, cosine branch, two uniforms per draw).
  public mutating func normal() -> Double {
    let u1 = uniform()
    let u2 = uniform()
    return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
  }

  /// A standard exponential draw.
  public mutating func exponential() -> Double { -log(uniform()) }

  /// A uniform Float in [lo, hi), from the top 24 bits.
  public mutating func uniform(_ lo: Float, _ hi: Float) -> Float {
    lo + (hi - lo) * Float(next() >> 40) * (1.0 / 16_777_216.0)
  }

  /// `count` uniform Floats in [lo, hi).
  public mutating func floats(_ count: Int, _ lo: Float = -1, _ hi: Float = 1) -> [Float] {
    (0..<count).map { _ in uniform(lo, hi) }
  }

  /// `count` standard normal draws from a generator seeded with `seed`.
  public static func normals(seed: UInt64, count: Int) -> [Double] {
    var g = TestGenerator(seed: seed)
    return (0..<count).map { _ in g.normal() }
  }

  /// `count` standard exponential draws from a generator seeded with `seed`.
  public static func exponentials(seed: UInt64, count: Int) -> [Double] {
    var g = TestGenerator(seed: seed)
    return (0..<count).map { _ in g.exponential() }
  }
}
