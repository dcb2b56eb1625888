import TestSupport
import Testing

@Suite struct ActivationReferenceTests {
  @Test func reluByHand() {
    let x = RefTensor<Float>(shape: [1, 1, 1, 4], values: [-1, 0, 0.5, 2])
    #expect(Reference.relu(x).values == [0, 0, 0.5, 2])
    let dy = RefTensor<Float>(shape: [1, 1, 1, 4], values: [1, 2, 3, 4])
    // gradient is zero at exactly 0 (PyTorch's threshold backward)
    #expect(Reference.reluBackward(input: x, gradOutput: dy).values == [0, 0, 3, 4])
  }

  @Test func addAndAddReLUByHand() {
    let a = RefTensor<Float>(shape: [1, 1, 1, 3], values: [1, -2, 0.5])
    let b = RefTensor<Float>(shape: [1, 1, 1, 3], values: [1, 1, -0.5])
    #expect(Reference.add(a, b).values == [2, -1, 0])
    #expect(Reference.addReLU(a, b).values == [2, 0, 0])
    let dy = RefTensor<Float>(shape: [1, 1, 1, 3], values: [5, 6, 7])
    let g = Reference.addReLUBackward(lhs: a, rhs: b, gradOutput: dy)
    #expect(g.lhs.values == [5, 0, 0] && g.rhs.values == [5, 0, 0])
    let plain = Reference.addBackward(gradOutput: dy)
    #expect(plain.lhs.values == [5, 6, 7] && plain.rhs.values == [5, 6, 7])
  }

  @Test func reluBackwardMatchesFiniteDifferences() {
    var rng = TestGenerator(seed: 41)
    let x = rng.distinctTensor([2, 3, 5, 7])
    let g = rng.tensor(x.shape)
    let analytic = Reference.reluBackward(input: x, gradOutput: g)
    let numeric = numericVJP(x, upstream: g) { Reference.relu($0) }
    #expect(gradientFailure(analytic.values, numeric) == nil)
  }

  @Test func addReLUBackwardMatchesFiniteDifferences() {
    var rng = TestGenerator(seed: 42)
    let a = rng.distinctTensor([2, 2, 5, 7])
    let b = rng.tensor(a.shape, -0.01, 0.01)  // |a + b| ≥ 0.015: no kink within a step
    let g = rng.tensor(a.shape)
    let analytic = Reference.addReLUBackward(lhs: a, rhs: b, gradOutput: g)
    let aD = a.converted(to: Double.self)
    let bD = b.converted(to: Double.self)
    let dA = numericVJP(a, upstream: g) { Reference.addReLU($0, bD) }
    let dB = numericVJP(b, upstream: g) { Reference.addReLU(aD, $0) }
    #expect(gradientFailure(analytic.lhs.values, dA) == nil)
    #expect(gradientFailure(analytic.rhs.values, dB) == nil)
    let plain = Reference.addBackward(gradOutput: g)
    let pA = numericVJP(a, upstream: g) { Reference.add($0, bD) }
    #expect(gradientFailure(plain.lhs.values, pA) == nil)
  }
}
