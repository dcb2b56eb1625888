import Foundation
import TestSupport
import Testing

@Suite struct LinearAndLossReferenceTests {
  let x = RefTensor<Float>(shape: [2, 3], values: [1, 2, 3, 4, 5, 6])
  let w = RefTensor<Float>(shape: [2, 3], values: [1, 0, -1, 0.5, 0.5, 0.5])

  @Test func linearByHand() {
    // row 0: 1 − 3 + 1 = −1, 0.5·6 − 1 = 2; row 1: 4 − 6 + 1 = −1, 0.5·15 − 1 = 6.5
    let y = Reference.linear(x, weight: w, bias: [1, -1])
    #expect(y.shape == [2, 2] && y.values == [-1, 2, -1, 6.5])
    #expect(Reference.linear(x, weight: w).values == [-2, 3, -2, 7.5])
  }

  @Test func linearBackwardByHand() {
    // dy = identity: dx = dy·W = W, dW = dyᵀ·x = x, db = column sums = [1, 1]
    let dy = RefTensor<Float>(shape: [2, 2], values: [1, 0, 0, 1])
    let g = Reference.linearBackward(input: x, weight: w, gradOutput: dy)
    #expect(g.input.values == w.values)
    #expect(g.weight.values == x.values)
    #expect(g.bias == [1, 1])
  }

  @Test func linearBackwardMatchesFiniteDifferences() {
    var rng = TestGenerator(seed: 61)
    let x = rng.tensor([3, 7])
    let w = rng.tensor([5, 7])
    let b = rng.floats(5)
    let g = rng.tensor([3, 5])
    let analytic = Reference.linearBackward(input: x, weight: w, gradOutput: g)
    let (xD, wD, bD) = (
      x.converted(to: Double.self), w.converted(to: Double.self), b.map(Double.init)
    )
    let dX = numericVJP(x, upstream: g) { Reference.linear($0, weight: wD, bias: bD) }
    let dW = numericVJP(w, upstream: g) { Reference.linear(xD, weight: $0, bias: bD) }
    let dB = numericVJP(b, upstream: g) { Reference.linear(xD, weight: wD, bias: $0) }
    #expect(gradientFailure(analytic.input.values, dX) == nil)
    #expect(gradientFailure(analytic.weight.values, dW) == nil)
    #expect(gradientFailure(analytic.bias, dB) == nil)
  }

  @Test func softmaxCrossEntropyOnTwoClasses() {
    // row 0: logits [0, ln 3] → p = [1/4, 3/4], label 0 → −ln(1/4) = ln 4
    // row 1: logits [2, 2] → p = [1/2, 1/2], label 1 → ln 2; mean = 1.5·ln 2
    let z = RefTensor<Double>(shape: [2, 2], values: [0, log(3), 2, 2])
    let r = Reference.softmaxCrossEntropy(logits: z, labels: [0, 1])
    #expect(abs(r.loss - 1.5 * log(2.0)) < 1e-15)
    // (p − onehot)/N = [[−3/4, 3/4], [1/2, −1/2]] / 2
    #expect(closeness(r.gradLogits.values, [-0.375, 0.375, 0.25, -0.25], rtol: 1e-14) == nil)
    #expect(closeness(Reference.softmax(z).values, [0.25, 0.75, 0.5, 0.5], rtol: 1e-14) == nil)
  }

  @Test func softmaxCrossEntropyIsStableForHugeLogits() {
    let z = RefTensor<Float>(shape: [2, 2], values: [1000, 0, 1000, 0])
    let r = Reference.softmaxCrossEntropy(logits: z, labels: [1, 0])
    // row 0: −log softmax = 1000 + log(1 + e^−1000) = 1000; row 1: ≈ e^−1000 = 0; mean 500
    #expect(r.loss == 500)
    #expect(r.gradLogits.values == [0.5, -0.5, 0, 0])
  }

  @Test func softmaxCrossEntropyGradientMatchesFiniteDifferences() {
    var rng = TestGenerator(seed: 62)
    let z = rng.tensor([4, 5], -3, 3)
    let labels = [0, 4, 2, 2]
    let analytic = Reference.softmaxCrossEntropy(logits: z, labels: labels).gradLogits
    let numeric = FiniteDifference.gradient(at: z.values) { v in
      let zD = RefTensor<Float>(shape: z.shape, values: v).converted(to: Double.self)
      return Reference.softmaxCrossEntropy(logits: zD, labels: labels).loss
    }
    #expect(gradientFailure(analytic.values, numeric) == nil)
  }

  @Test func optionAShortcutByHand() {
    // x[:, :, ::2, ::2] of 1…9 is [1, 3, 7, 9]; Cout = 3 → pad 1: channels 0 and 2 are zeros
    let x = RefTensor<Float>(shape: [1, 1, 3, 3], values: [1, 2, 3, 4, 5, 6, 7, 8, 9])
    let y = Reference.optionAShortcut(x, outputChannels: 3)
    #expect(y.shape == [1, 3, 2, 2])
    #expect(y.values == [0, 0, 0, 0, 1, 3, 7, 9, 0, 0, 0, 0])
    let dy = RefTensor<Float>(shape: [1, 3, 2, 2], values: (1...12).map(Float.init))
    let dx = Reference.optionAShortcutBackward(inputShape: [1, 1, 3, 3], gradOutput: dy)
    #expect(dx.values == [5, 0, 6, 0, 0, 0, 7, 0, 8])
  }

  @Test func optionAShortcutOddSizesAndBackward() {
    var rng = TestGenerator(seed: 63)
    let x = rng.tensor([2, 2, 5, 7])
    let y = Reference.optionAShortcut(x, outputChannels: 6)
    #expect(y.shape == [2, 6, 3, 4])
    #expect(y[1, 3, 2, 3] == x[1, 1, 4, 6] && y[0, 2, 1, 2] == x[0, 0, 2, 4])
    #expect(y[1, 0, 2, 3] == 0 && y[1, 5, 0, 0] == 0)
    let g = rng.tensor(y.shape)
    let analytic = Reference.optionAShortcutBackward(inputShape: x.shape, gradOutput: g)
    let numeric = numericVJP(x, upstream: g) { Reference.optionAShortcut($0, outputChannels: 6) }
    #expect(gradientFailure(analytic.values, numeric) == nil)
  }
}
