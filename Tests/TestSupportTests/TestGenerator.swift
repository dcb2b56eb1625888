import TestSupport

/// A tiny deterministic generator for the tests (SplitMix64), independent of the engine's RNG.
struct TestGenerator {
  var state: UInt64

  init(seed: UInt64) { state = seed }

  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  /// A uniform Float in [lo, hi).
  mutating func uniform(_ lo: Float, _ hi: Float) -> Float {
    lo + (hi - lo) * Float(next() >> 40) * (1.0 / 16_777_216.0)
  }

  mutating func floats(_ count: Int, _ lo: Float = -1, _ hi: Float = 1) -> [Float] {
    (0..<count).map { _ in uniform(lo, hi) }
  }

  mutating func tensor(_ shape: [Int], _ lo: Float = -1, _ hi: Float = 1) -> RefTensor<Float> {
    RefTensor(shape: shape, values: floats(shape.reduce(1, *), lo, hi))
  }

  /// Values `±0.025, ±0.075, …` in shuffled order: pairwise at least 0.05 apart and at least
  /// 0.025 from zero, so neither max-pool ties nor ReLU kinks are within a finite-difference step.
  mutating func distinctTensor(_ shape: [Int]) -> RefTensor<Float> {
    let count = shape.reduce(1, *)
    var order = Array(0..<count)
    for i in stride(from: count - 1, to: 0, by: -1) {
      order.swapAt(i, Int(next() % UInt64(i + 1)))
    }
    return RefTensor(
      shape: shape, values: order.map { Float($0 - count / 2) * 0.05 + 0.025 })
  }
}

/// The numerical `∂/∂X Σ G ⊙ layer(X)` at the Float point `x`, with the layer run in Double.
func numericVJP(
  _ x: RefTensor<Float>, upstream g: RefTensor<Float>,
  _ layer: (RefTensor<Double>) -> RefTensor<Double>
) -> [Double] {
  FiniteDifference.vectorJacobianProduct(at: x.values, upstream: g.doubleValues) { v in
    layer(RefTensor<Float>(shape: x.shape, values: v).converted(to: Double.self)).values
  }
}

/// The same for a per-channel vector parameter (bias, γ, β).
func numericVJP(
  _ p: [Float], upstream g: RefTensor<Float>, _ layer: ([Double]) -> RefTensor<Double>
) -> [Double] {
  FiniteDifference.vectorJacobianProduct(at: p, upstream: g.doubleValues) { v in
    layer(v.map(Double.init)).values
  }
}

/// `nil` when the analytic gradient matches the numerical one to relative error 1e-3.
func gradientFailure(_ analytic: [Float], _ numeric: [Double]) -> String? {
  FiniteDifference.compare(analytic: analytic, numeric: numeric).failure(tolerance: 1e-3)
}
