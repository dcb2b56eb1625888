import TestSupport
import Testing

/// One pooling configuration for the finite-difference checks.
struct PoolCase: Sendable, CustomTestStringConvertible {
  let kernel: (Int, Int)
  let stride: (Int, Int)
  let padding: (Int, Int)

  var testDescription: String { "k\(kernel) s\(stride) p\(padding)" }
}

@Suite struct PoolReferenceTests {
  let ones9 = RefTensor<Float>(shape: [1, 1, 3, 3], values: [1, 2, 3, 4, 5, 6, 7, 8, 9])

  @Test func maxPoolForwardAndBackwardByHand() {
    let x = RefTensor<Float>(shape: [1, 1, 3, 3], values: [1, 5, 2, 7, 3, 9, 4, 8, 6])
    let y = Reference.maxPool2d(x, kernel: (2, 2), stride: (1, 1))
    #expect(y.values == [7, 9, 8, 9])
    let dy = RefTensor<Float>(shape: [1, 1, 2, 2], values: [1, 2, 3, 4])
    // 7 at (1,0) gets 1; 9 at (1,2) gets 2 + 4; 8 at (2,1) gets 3
    let dx = Reference.maxPool2dBackward(
      input: x, gradOutput: dy, kernel: (2, 2), stride: (1, 1))
    #expect(dx.values == [0, 0, 0, 1, 0, 6, 0, 3, 0])
  }

  @Test func maxPoolPaddingNeverWins() {
    // all inputs negative: a padded zero must not be the maximum
    let x = RefTensor<Float>(shape: [1, 1, 3, 3], values: ones9.values.map { -$0 })
    let y = Reference.maxPool2d(x, kernel: (3, 3), stride: (1, 1), padding: (1, 1))
    #expect(y.values == [-1, -1, -2, -1, -1, -2, -4, -4, -5])
  }

  @Test func maxPoolTiesGoToFirstInRowMajorOrder() {
    let x = RefTensor<Float>(shape: [1, 1, 2, 3], values: [2, 2, 2, 2, 2, 2])
    let dy = RefTensor<Float>(shape: [1, 1, 1, 2], values: [1, 10])
    // windows (k 2×2, stride 1): cols {0,1} → first max (0,0); cols {1,2} → first max (0,1)
    let dx = Reference.maxPool2dBackward(
      input: x, gradOutput: dy, kernel: (2, 2), stride: (1, 1))
    #expect(dx.values == [1, 10, 0, 0, 0, 0])
  }

  @Test func avgPoolByHand() {
    #expect(Reference.avgPool2d(ones9, kernel: (2, 2), stride: (1, 1)).values == [3, 4, 6, 7])
    // windows rows/cols {-1,0} and {1,2}: sums 1, 5, 11, 28
    let incl = Reference.avgPool2d(ones9, kernel: (2, 2), stride: (2, 2), padding: (1, 1))
    #expect(incl.values == [0.25, 1.25, 2.75, 7])
    let excl = Reference.avgPool2d(
      ones9, kernel: (2, 2), stride: (2, 2), padding: (1, 1), countIncludePad: false)
    #expect(excl.values == [1, 2.5, 5.5, 7])
  }

  @Test func avgPoolBackwardByHand() {
    let dy = RefTensor<Float>(shape: [1, 1, 2, 2], values: [1, 1, 1, 1])
    let incl = Reference.avgPool2dBackward(
      inputShape: [1, 1, 3, 3], gradOutput: dy, kernel: (2, 2), stride: (2, 2), padding: (1, 1))
    #expect(incl.values == [Float](repeating: 0.25, count: 9))
    let excl = Reference.avgPool2dBackward(
      inputShape: [1, 1, 3, 3], gradOutput: dy, kernel: (2, 2), stride: (2, 2), padding: (1, 1),
      countIncludePad: false)
    #expect(excl.values == [1, 0.5, 0.5, 0.5, 0.25, 0.25, 0.5, 0.25, 0.25])
  }

  @Test func globalAvgPoolByHand() {
    let x = RefTensor<Float>(shape: [1, 2, 2, 2], values: [1, 2, 3, 4, -1, -1, 5, 5])
    let y = Reference.globalAvgPool(x)
    #expect(y.shape == [1, 2] && y.values == [2.5, 2])
    let dx = Reference.globalAvgPoolBackward(
      inputShape: [1, 2, 2, 2], gradOutput: RefTensor(shape: [1, 2], values: [4, -8]))
    #expect(dx.values == [1, 1, 1, 1, -2, -2, -2, -2])
  }

  static let cases: [PoolCase] = [
    PoolCase(kernel: (2, 2), stride: (2, 2), padding: (0, 0)),
    PoolCase(kernel: (2, 2), stride: (1, 1), padding: (0, 0)),
    PoolCase(kernel: (3, 3), stride: (2, 2), padding: (1, 1)),
    PoolCase(kernel: (3, 3), stride: (1, 1), padding: (1, 1)),
    PoolCase(kernel: (3, 2), stride: (2, 1), padding: (1, 0)),
  ]

  @Test(arguments: cases) func maxPoolBackwardMatchesFiniteDifferences(_ c: PoolCase) {
    var rng = TestGenerator(seed: 51)
    let x = rng.distinctTensor([2, 2, 5, 7])
    let y = Reference.maxPool2d(x, kernel: c.kernel, stride: c.stride, padding: c.padding)
    let g = rng.tensor(y.shape)
    let analytic = Reference.maxPool2dBackward(
      input: x, gradOutput: g, kernel: c.kernel, stride: c.stride, padding: c.padding)
    let numeric = numericVJP(x, upstream: g) {
      Reference.maxPool2d($0, kernel: c.kernel, stride: c.stride, padding: c.padding)
    }
    #expect(gradientFailure(analytic.values, numeric) == nil)
  }

  @Test(arguments: cases, [true, false])
  func avgPoolBackwardMatchesFiniteDifferences(_ c: PoolCase, includePad: Bool) {
    var rng = TestGenerator(seed: 52)
    let x = rng.tensor([2, 2, 5, 7])
    let y = Reference.avgPool2d(
      x, kernel: c.kernel, stride: c.stride, padding: c.padding, countIncludePad: includePad)
    let g = rng.tensor(y.shape)
    let analytic = Reference.avgPool2dBackward(
      inputShape: x.shape, gradOutput: g, kernel: c.kernel, stride: c.stride, padding: c.padding,
      countIncludePad: includePad)
    let numeric = numericVJP(x, upstream: g) {
      Reference.avgPool2d(
        $0, kernel: c.kernel, stride: c.stride, padding: c.padding, countIncludePad: includePad)
    }
    #expect(gradientFailure(analytic.values, numeric) == nil)
  }

  @Test func globalAvgPoolBackwardMatchesFiniteDifferences() {
    var rng = TestGenerator(seed: 53)
    let x = rng.tensor([2, 3, 5, 7])
    let g = rng.tensor([2, 3])
    let analytic = Reference.globalAvgPoolBackward(inputShape: x.shape, gradOutput: g)
    let numeric = numericVJP(x, upstream: g) { Reference.globalAvgPool($0) }
    #expect(gradientFailure(analytic.values, numeric) == nil)
  }
}
