import TestSupport
import Testing

/// One convolution configuration for the finite-difference checks.
struct ConvCase: Sendable, CustomTestStringConvertible {
  let input: [Int]
  let outChannels: Int
  let kernel: (Int, Int)
  let stride: (Int, Int)
  let padding: (Int, Int)
  let bias: Bool

  var testDescription: String {
    "x\(input) O=\(outChannels) k\(kernel) s\(stride) p\(padding) bias=\(bias)"
  }
}

@Suite struct ConvReferenceTests {
  // 1×1×3×3 input 1…9 and 2×2 kernel [[1, 2], [3, 4]].
  let x = RefTensor<Float>(shape: [1, 1, 3, 3], values: [1, 2, 3, 4, 5, 6, 7, 8, 9])
  let w = RefTensor<Float>(shape: [1, 1, 2, 2], values: [1, 2, 3, 4])

  @Test func stride1Padding0ByHand() {
    // 1·1+2·2+4·3+5·4 = 37, 2+6+15+24 = 47, 4+10+21+32 = 67, 5+12+24+36 = 77
    let y = Reference.conv2d(x, weight: w)
    #expect(y.shape == [1, 1, 2, 2])
    #expect(y.values == [37, 47, 67, 77])
  }

  @Test func stride2Padding0ByHand() {
    let y = Reference.conv2d(x, weight: w, stride: (2, 2))
    #expect(y.shape == [1, 1, 1, 1])
    #expect(y.values == [37])
  }

  @Test func stride1Padding1() {
    // scipy.signal.correlate2d(np.pad(x, 1), w, mode='valid')
    let y = Reference.conv2d(x, weight: w, stride: (1, 1), padding: (1, 1))
    #expect(y.shape == [1, 1, 4, 4])
    #expect(y.values == [4, 11, 18, 9, 18, 37, 47, 21, 36, 67, 77, 33, 14, 23, 26, 9])
  }

  @Test func stride2Padding1ByHand() {
    // windows rows/cols {-1,0} and {1,2}: 1·4 = 4, 2·3+3·4 = 18, 4·2+7·4 = 36, 5+12+24+36 = 77
    let y = Reference.conv2d(x, weight: w, bias: [0.5], stride: (2, 2), padding: (1, 1))
    #expect(y.shape == [1, 1, 2, 2])
    #expect(y.values == [4.5, 18.5, 36.5, 77.5])
  }

  @Test func twoChannelsInAndOutWithBias() {
    // numpy: channel 1 = x[::-1]·0.5; out[o] = b[o] + Σ_c correlate2d(x[c], w[o, c], 'valid')
    let x2 = RefTensor<Float>(
      shape: [1, 2, 3, 3], values: [1, 2, 3, 4, 5, 6, 7, 8, 9, 3.5, 4, 4.5, 2, 2.5, 3, 0.5, 1, 1.5])
    let w2 = RefTensor<Float>(
      shape: [2, 2, 2, 2], values: [1, 0, 0, -1, 0.5, 0.5, 0, 0, 0, 1, 1, 0, -1, 0, 0, 2])
    let y = Reference.conv2d(x2, weight: w2, bias: [0.25, -1])
    #expect(y.values == [0, 0.5, -1.5, -1, 6.5, 9, 11, 13.5])
  }

  @Test func rectangularKernelStrideAndPaddingShape() {
    let x = RefTensor<Float>.zeros([2, 3, 5, 7])
    let w = RefTensor<Float>.zeros([4, 3, 2, 3])
    // H: (5 + 2 − 2)/2 + 1 = 3; W: (7 + 0 − 3)/1 + 1 = 5
    let y = Reference.conv2d(x, weight: w, stride: (2, 1), padding: (1, 0))
    #expect(y.shape == [2, 4, 3, 5])
  }

  @Test func backwardByHand() {
    // dy = ones(2×2) at stride 1: db = 4; dW[ky,kx] = Σ of the 2×2 block of x at (ky,kx)
    // = [1+2+4+5, 2+3+5+6, 4+5+7+8, 5+6+8+9]; dX = how many windows cover each cell × w
    let dy = RefTensor<Float>(shape: [1, 1, 2, 2], values: [1, 1, 1, 1])
    let g = Reference.conv2dBackward(input: x, weight: w, gradOutput: dy)
    #expect(g.bias == [4])
    #expect(g.weight.values == [12, 16, 24, 28])
    #expect(g.input.values == [1, 3, 2, 4, 10, 6, 3, 7, 4])
  }

  static let cases: [ConvCase] = [
    ConvCase(
      input: [1, 2, 5, 7], outChannels: 3, kernel: (3, 3), stride: (1, 1), padding: (0, 0),
      bias: true),
    ConvCase(
      input: [2, 2, 5, 7], outChannels: 2, kernel: (3, 3), stride: (1, 1), padding: (1, 1),
      bias: false),
    ConvCase(
      input: [1, 3, 5, 7], outChannels: 2, kernel: (3, 3), stride: (2, 2), padding: (1, 1),
      bias: true),
    ConvCase(
      input: [2, 2, 5, 7], outChannels: 3, kernel: (2, 3), stride: (2, 1), padding: (0, 1),
      bias: true),
    ConvCase(
      input: [1, 3, 5, 7], outChannels: 4, kernel: (1, 1), stride: (2, 2), padding: (0, 0),
      bias: false),
  ]

  @Test(arguments: cases) func backwardMatchesFiniteDifferences(_ c: ConvCase) {
    var rng = TestGenerator(seed: 11)
    let x = rng.tensor(c.input)
    let w = rng.tensor([c.outChannels, c.input[1], c.kernel.0, c.kernel.1])
    let b = c.bias ? rng.floats(c.outChannels) : nil
    let y = Reference.conv2d(x, weight: w, bias: b, stride: c.stride, padding: c.padding)
    let g = rng.tensor(y.shape)
    let analytic = Reference.conv2dBackward(
      input: x, weight: w, gradOutput: g, stride: c.stride, padding: c.padding)

    let wD = w.converted(to: Double.self)
    let xD = x.converted(to: Double.self)
    let bD = b?.map(Double.init)
    let dX = numericVJP(x, upstream: g) {
      Reference.conv2d($0, weight: wD, bias: bD, stride: c.stride, padding: c.padding)
    }
    let dW = numericVJP(w, upstream: g) {
      Reference.conv2d(xD, weight: $0, bias: bD, stride: c.stride, padding: c.padding)
    }
    let dB = numericVJP(b ?? [Float](repeating: 0, count: c.outChannels), upstream: g) {
      Reference.conv2d(xD, weight: wD, bias: $0, stride: c.stride, padding: c.padding)
    }
    #expect(gradientFailure(analytic.input.values, dX) == nil)
    #expect(gradientFailure(analytic.weight.values, dW) == nil)
    #expect(gradientFailure(analytic.bias, dB) == nil)
  }
}
