import TestSupport
import Testing

@Suite struct BatchNormReferenceTests {
  // Four numbers 1, 2, 3, 4 in one channel; γ = 2, β = 0.5, ε = 1e-5.
  let x = RefTensor<Double>(shape: [1, 1, 2, 2], values: [1, 2, 3, 4])

  @Test func trainingForwardOnFourNumbers() {
    // numpy: m = 2.5, v = x.var() = 1.25; y = 2·(x − m)/sqrt(v + 1e-5) + 0.5
    let r = Reference.batchNormTraining(x, gamma: [2], beta: [0.5], epsilon: 1e-5)
    #expect(r.mean == [2.5])
    #expect(r.variance == [1.25])
    let expected: [Double] = [
      -2.1832708399378538, -0.394423613312618, 1.394423613312618, 3.1832708399378538,
    ]
    #expect(closeness(r.output.values, expected, rtol: 1e-12) == nil)
  }

  @Test func trainingForwardWithFusedReLU() {
    let r = Reference.batchNormTraining(
      x, gamma: [2], beta: [0.5], epsilon: 1e-5, fusedReLU: true)
    let expected: [Double] = [0, 0, 1.394423613312618, 3.1832708399378538]
    #expect(closeness(r.output.values, expected, rtol: 1e-12) == nil)
  }

  @Test func statisticsArePerChannelOverBatchAndSpace() {
    // channel 0 holds 1, 2 (n=0) and 5, 6 (n=1); channel 1 holds 3, 4 and 7, 8
    let x = RefTensor<Float>(shape: [2, 2, 1, 2], values: [1, 2, 3, 4, 5, 6, 7, 8])
    let r = Reference.batchNormTraining(x, gamma: [1, 1], beta: [0, 0])
    #expect(r.mean == [3.5, 5.5])
    // biased variance of {1, 2, 5, 6} = (6.25 + 2.25 + 2.25 + 6.25)/4 = 4.25
    #expect(r.variance == [4.25, 4.25])
  }

  @Test func inferenceForwardUsesRunningStatistics() {
    // numpy: 2·(x − 2)/sqrt(4 + 1e-5) + 0.5
    let running = Reference.BatchNormStatistics<Double>(mean: [2], variance: [4])
    let y = Reference.batchNormInference(x, gamma: [2], beta: [0.5], running: running)
    let expected: [Double] = [-0.49999875000234373, 0.5, 1.4999987500023437, 2.4999975000046875]
    #expect(closeness(y.values, expected, rtol: 1e-12) == nil)
    let yr = Reference.batchNormInference(
      x, gamma: [2], beta: [-1], running: running, fusedReLU: true)
    // −1 shifts: −2, −1, 0, 1 (up to ε) → ReLU keeps only the last two
    #expect(yr.values[0] == 0 && yr.values[1] == 0)
    #expect(abs(yr.values[3] - 0.9999975000046875) < 1e-12)
  }

  @Test func runningUpdateUsesUnbiasedVariance() {
    // PyTorch: mean 0.9·0 + 0.1·2.5 = 0.25; var 0.9·1 + 0.1·(1.25·4/3) = 1.0666…
    let updated = Reference.batchNormRunningUpdate(
      Reference.BatchNormStatistics<Double>(mean: [0], variance: [1]), batchMean: [2.5],
      batchVariance: [1.25], count: 4, momentum: 0.1)
    #expect(abs(updated.mean[0] - 0.25) < 1e-15)
    #expect(abs(updated.variance[0] - 1.0666666666666667) < 1e-15)
  }

  /// Draws input, γ, β until every output of training-mode bn is at least 0.03 from zero, so
  /// the fused ReLU has no kink within a finite-difference step.
  static func awayFromKink(seed: UInt64, shape: [Int]) -> (RefTensor<Float>, [Float], [Float]) {
    var rng = TestGenerator(seed: seed)
    while true {
      let x = rng.tensor(shape)
      let gamma = rng.floats(shape[1], 0.5, 1.5)
      let beta = rng.floats(shape[1], -0.5, 0.5)
      let y = Reference.batchNormTraining(x, gamma: gamma, beta: beta).output
      if y.values.allSatisfy({ abs($0) > 0.03 }) { return (x, gamma, beta) }
    }
  }

  @Test(arguments: [false, true]) func trainingBackwardMatchesFiniteDifferences(fused: Bool) {
    let (x, gamma, beta) = Self.awayFromKink(seed: fused ? 21 : 22, shape: [2, 3, 3, 5])
    var rng = TestGenerator(seed: 5)
    let g = rng.tensor(x.shape)
    let analytic = Reference.batchNormTrainingBackward(
      x, gamma: gamma, beta: beta, gradOutput: g, fusedReLU: fused)
    let xD = x.converted(to: Double.self)
    let gammaD = gamma.map(Double.init)
    let betaD = beta.map(Double.init)
    let dX = numericVJP(x, upstream: g) {
      Reference.batchNormTraining($0, gamma: gammaD, beta: betaD, fusedReLU: fused).output
    }
    let dGamma = numericVJP(gamma, upstream: g) {
      Reference.batchNormTraining(xD, gamma: $0, beta: betaD, fusedReLU: fused).output
    }
    let dBeta = numericVJP(beta, upstream: g) {
      Reference.batchNormTraining(xD, gamma: gammaD, beta: $0, fusedReLU: fused).output
    }
    #expect(gradientFailure(analytic.input.values, dX) == nil)
    #expect(gradientFailure(analytic.gamma, dGamma) == nil)
    #expect(gradientFailure(analytic.beta, dBeta) == nil)
    if fused {
      // the mask must have cut something, or this case tests nothing beyond the plain one
      let y = Reference.batchNormTraining(x, gamma: gamma, beta: beta).output
      #expect(y.values.contains { $0 < 0 } && y.values.contains { $0 > 0 })
    }
  }

  @Test(arguments: [false, true]) func inferenceBackwardMatchesFiniteDifferences(fused: Bool) {
    var rng = TestGenerator(seed: 31)
    let x = rng.distinctTensor([2, 2, 3, 5])
    let gamma: [Float] = [1.25, 0.75]
    let beta: [Float] = [0.0125, -0.0125]
    // running statistics chosen so that bn(x) = γ·(x − μ)/σ + β stays ≥ 0.006 from zero (many
    // steps): x is an odd multiple of 0.025, μ = 0, σ ≈ 1, so |γ·x| ≥ 0.01875 and |β| = 0.0125
    let running = Reference.BatchNormStatistics<Float>(mean: [0, 0], variance: [0.99999, 0.99999])
    let g = rng.tensor(x.shape)
    let analytic = Reference.batchNormInferenceBackward(
      x, gamma: gamma, beta: beta, running: running, gradOutput: g, fusedReLU: fused)
    let runD = Reference.BatchNormStatistics(
      mean: running.mean.map(Double.init), variance: running.variance.map(Double.init))
    let xD = x.converted(to: Double.self)
    let gammaD = gamma.map(Double.init)
    let betaD = beta.map(Double.init)
    let dX = numericVJP(x, upstream: g) {
      Reference.batchNormInference(
        $0, gamma: gammaD, beta: betaD, running: runD, fusedReLU: fused)
    }
    let dGamma = numericVJP(gamma, upstream: g) {
      Reference.batchNormInference(xD, gamma: $0, beta: betaD, running: runD, fusedReLU: fused)
    }
    let dBeta = numericVJP(beta, upstream: g) {
      Reference.batchNormInference(xD, gamma: gammaD, beta: $0, running: runD, fusedReLU: fused)
    }
    #expect(gradientFailure(analytic.input.values, dX) == nil)
    #expect(gradientFailure(analytic.gamma, dGamma) == nil)
    #expect(gradientFailure(analytic.beta, dBeta) == nil)
  }
}
