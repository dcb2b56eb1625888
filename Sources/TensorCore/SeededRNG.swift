#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A seeded, splittable pseudo-random generator (xoshiro256**), the only source of randomness in
/// the engine.
///
/// Every random draw in Shears — weight initialisation, shuffling, augmentation, random
/// criteria, evolutionary search — comes from a `SeededRNG` that was derived from the session's
/// seed, so the same seed gives the same bits. `split()` hands out an independent child
/// generator (advancing the parent by one draw); `derived(_:)` gives a child keyed by a label
/// without touching the parent, so adding a new consumer does not shift the draws of others.
///
/// ```swift
/// var rng = SeededRNG(seed: 42)
/// var initRNG = rng.derived("init")
/// let x = initRNG.nextNormal()
/// ```
public struct SeededRNG: RandomNumberGenerator, Sendable, Hashable, Codable {
  /// The four words of xoshiro256** state.
  public private(set) var state: [UInt64]

  /// Creates a generator whose state is expanded from `seed` by SplitMix64.
  public init(seed: UInt64) {
    var sm = seed
    state = (0..<4).map { _ in SeededRNG.splitMix64(&sm) }
    if state.allSatisfy({ $0 == 0 }) { state[0] = 0x9E37_79B9_7F4A_7C15 }
  }

  /// Restores a generator from a saved `state` (four words, not all zero).
  public init?(state: [UInt64]) {
    guard state.count == 4, !state.allSatisfy({ $0 == 0 }) else { return nil }
    self.state = state
  }

  @inline(__always)
  static func splitMix64(_ x: inout UInt64) -> UInt64 {
    x &+= 0x9E37_79B9_7F4A_7C15
    var z = x
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  @inline(__always)
  static func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

  /// The next 64 random bits.
  public mutating func next() -> UInt64 {
    let result = SeededRNG.rotl(state[1] &* 5, 7) &* 9
    let t = state[1] << 17
    state[2] ^= state[0]
    state[3] ^= state[1]
    state[1] ^= state[2]
    state[0] ^= state[3]
    state[2] ^= t
    state[3] = SeededRNG.rotl(state[3], 45)
    return result
  }

  /// An independent child generator; advances `self` by one draw.
  public mutating func split() -> SeededRNG {
    SeededRNG(seed: next())
  }

  /// A child generator keyed by `label`; does not advance `self`.
  ///
  /// The label is hashed with FNV-1a (stable across runs and platforms, unlike `Hasher`).
  public func derived(_ label: String) -> SeededRNG {
    var h: UInt64 = 0xCBF2_9CE4_8422_2325
    for b in label.utf8 {
      h ^= UInt64(b)
      h = h &* 0x100_0000_01B3
    }
    var mix = state[0] ^ SeededRNG.rotl(state[1], 13) ^ SeededRNG.rotl(state[2], 29)
    mix ^= SeededRNG.rotl(state[3], 43) ^ h
    return SeededRNG(seed: mix)
  }

  /// A uniform Float in [0, 1) with 24 random bits.
  public mutating func nextFloat() -> Float {
    Float(next() >> 40) * (1.0 / 16_777_216.0)
  }

  /// A uniform Double in [0, 1) with 53 random bits.
  public mutating func nextDouble() -> Double {
    Double(next() >> 11) * (1.0 / 9_007_199_254_740_992.0)
  }

  /// A uniform integer in `0..<bound` (Lemire's unbiased method). `bound` must be positive.
  public mutating func nextInt(below bound: Int) -> Int {
    precondition(bound > 0, "nextInt(below:) needs a positive bound")
    let b = UInt64(bound)
    var m = next().multipliedFullWidth(by: b)
    if m.low < b {
      let threshold = (0 &- b) % b
      while m.low < threshold { m = next().multipliedFullWidth(by: b) }
    }
    return Int(m.high)
  }

  /// A standard normal draw (Box–Muller, one value per call).
  public mutating func nextNormal() -> Float {
    var u1 = nextDouble()
    while u1 <= 0 { u1 = nextDouble() }
    let u2 = nextDouble()
    return Float((-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2))
  }

  /// Fisher–Yates shuffle with this generator (stable across Swift versions, unlike
  /// `shuffle(using:)`).
  public mutating func shuffle<T>(_ array: inout [T]) {
    guard array.count > 1 else { return }
    for i in stride(from: array.count - 1, to: 0, by: -1) {
      let j = nextInt(below: i + 1)
      if i != j { array.swapAt(i, j) }
    }
  }

  /// A random permutation of `0..<n`.
  public mutating func permutation(_ n: Int) -> [Int] {
    var p = Array(0..<n)
    shuffle(&p)
    return p
  }
}
