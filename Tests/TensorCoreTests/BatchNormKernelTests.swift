import TensorCore
import TestSupport
import Testing

/// One batch-norm shape to test.
struct BatchNormCase: Sendable, CustomTestStringConvertible {
  /// NCHW or NC dims.
  var shape: [Int]
  var layout: Layout
  var fuseReLU: Bool
  var seed: UInt64

  var testDescription: String {
    "\(shape) \(layout)\(fuseReLU ? " +ReLU" : "")"
  }

  /// The dims the NCHW reference kernels see (`[N, C]` becomes `[N, C, 1, 1]`).
  var referenceShape: [Int] { shape.count == 4 ? shape : [shape[0], shape[1], 1, 1] }

  /// Values per channel.
  var perChannel: Int { referenceShape[0] * referenceShape[2] * referenceShape[3] }

  static let all: [BatchNormCase] = [
    BatchNormCase(shape: [2, 5, 5, 7], layout: .plain, fuseReLU: false, seed: 21),
    BatchNormCase(shape: [2, 5, 5, 7], layout: .plain, fuseReLU: true, seed: 22),
    BatchNormCase(shape: [2, 20, 3, 5], layout: .nChw16c, fuseReLU: false, seed: 23),
    BatchNormCase(shape: [2, 17, 3, 3], layout: .nChw16c, fuseReLU: true, seed: 24),
    BatchNormCase(shape: [2, 16, 3, 3], layout: .nChw16c, fuseReLU: false, seed: 25),
    BatchNormCase(shape: [6, 5], layout: .plain, fuseReLU: false, seed: 26),
    BatchNormCase(shape: [6, 3], layout: .plain, fuseReLU: true, seed: 27),
  ]
}

/// Inputs, kernel and helpers of one batch-norm case.
///
/// The input is built so that the fused ReLU's kink is far from every value: per channel the
/// values are `offset + scale·u` with `u` a shuffled set of pairs `±m`, `m ∈ [0.3, 1.3)`, so the
/// batch mean is `offset` and every normalised value `x̂` has `|x̂| ≥ 0.3/σ ≥ 0.23`; the shift is
/// `β = γ·t` with `|t| ≤ 0.1`, so `γ·x̂ + β` stays at least `0.13·γ` away from zero while a
/// finite-difference step moves `x̂` by at most about 0.02.
struct BatchNormFixture {
  let ctx: ComputeContext
  let c: BatchNormCase
  let kernel: BatchNormKernel
  let layout: LayoutConverter
  let x: Tensor
  let gamma: Tensor
  let beta: Tensor
  let upstream: Tensor

  init(_ c: BatchNormCase) throws {
    self.c = c
    ctx = try testContext()
    var rng = SeededRNG(seed: c.seed)
    let channels = c.shape[1]
    x = Self.input(c.referenceShape, rng: &rng).reshaped(c.shape)
    let g = (0..<channels).map { _ in 0.5 + rng.nextFloat() }
    gamma = Tensor(shape: [channels], scalars: g)
    beta = Tensor(
      shape: [channels], scalars: g.map { $0 * (rng.nextFloat() * 0.2 - 0.1) })
    upstream = normalTensor(c.shape, rng: &rng)
    let descriptor = c.shape.count == 4 ? c.layout.descriptor(c.shape) : .plain(c.shape)
    kernel = try BatchNormKernel(
      context: ctx, descriptor: descriptor, fuseReLU: c.fuseReLU, training: true)
    layout = try LayoutConverter(ctx, descriptor)
  }

  /// Per channel: `offset + scale·u`, `u` shuffled pairs `±m` with `m ∈ [0.3, 1.3)`.
  static func input(_ shape: [Int], rng: inout SeededRNG) -> Tensor {
    let (n, channels, plane) = (shape[0], shape[1], shape[2] * shape[3])
    let m = n * plane
    precondition(m % 2 == 0, "BatchNormFixture needs an even count per channel, got \(m)")
    var values = [Float](repeating: 0, count: n * channels * plane)
    for ch in 0..<channels {
      let offset = rng.nextFloat() * 2 - 1
      let scale = 0.7 + rng.nextFloat() * 0.6
      var u: [Float] = []
      for _ in 0..<(m / 2) {
        let magnitude = 0.3 + rng.nextFloat()
        u += [magnitude, -magnitude]
      }
      rng.shuffle(&u)
      for (k, v) in u.enumerated() {
        let (i, p) = (k / plane, k % plane)
        values[(i * channels + ch) * plane + p] = offset + scale * v
      }
    }
    return Tensor(shape: shape, scalars: values)
  }

  var refX: RefTensor<Float> { RefTensor(shape: c.referenceShape, values: x.scalars) }

  /// Training forward of plain input values: plain output, batch mean and variance.
  func forwardTraining(x xs: [Float], gamma g: Tensor? = nil, beta b: Tensor? = nil) throws
    -> (y: [Float], mean: [Float], variance: [Float])
  {
    try ctx.perform {
      var y = Tensor(zeros: kernel.descriptor)
      var mean = Tensor(zeros: [c.shape[1]])
      var variance = Tensor(zeros: [c.shape[1]])
      try kernel.forwardTraining(
        try layout.tensor(xs), scale: g ?? gamma, shift: b ?? beta, into: &y, mean: &mean,
        variance: &variance)
      return (try layout.values(y), mean.scalars, variance.scalars)
    }
  }

  /// Inference forward of the fixture's input with the given statistics.
  func forwardInference(mean: [Float], variance: [Float]) throws -> [Float] {
    try ctx.perform {
      var y = Tensor(zeros: kernel.descriptor)
      let ch = [c.shape[1]]
      try kernel.forwardInference(
        try layout.tensor(x.scalars), scale: gamma, shift: beta,
        mean: Tensor(shape: ch, scalars: mean), variance: Tensor(shape: ch, scalars: variance),
        into: &y)
      return try layout.values(y)
    }
  }

  /// Training forward then backward of the fixture's input: dx, dγ, dβ.
  func backward() throws -> (dx: [Float], dGamma: [Float], dBeta: [Float]) {
    try ctx.perform { try backwardOnWorker() }
  }

  private func backwardOnWorker() throws -> (dx: [Float], dGamma: [Float], dBeta: [Float]) {
    let src = try layout.tensor(x.scalars)
    var y = Tensor(zeros: kernel.descriptor)
    let ch = [c.shape[1]]
    var mean = Tensor(zeros: ch)
    var variance = Tensor(zeros: ch)
    try kernel.forwardTraining(
      src, scale: gamma, shift: beta, into: &y, mean: &mean, variance: &variance)
    var dx = Tensor(zeros: kernel.descriptor)
    var dGamma = Tensor(zeros: ch)
    var dBeta = Tensor(zeros: ch)
    try kernel.backward(
      src, diffDst: try layout.tensor(upstream.scalars), scale: gamma, shift: beta, mean: mean,
      variance: variance, diffSrc: &dx, diffScale: &dGamma, diffShift: &dBeta)
    return (try layout.values(dx), dGamma.scalars, dBeta.scalars)
  }
}

@Suite("BatchNormKernel")
struct BatchNormKernelTests {
  @Test(
    "training forward matches the reference: output, batch mean, biased variance",
    arguments: BatchNormCase.all)
  func trainingForwardMatchesReference(_ c: BatchNormCase) throws {
    let f = try BatchNormFixture(c)
    let (y, mean, variance) = try f.forwardTraining(x: f.x.scalars)
    let expected = Reference.batchNormTraining(
      f.refX, gamma: f.gamma.scalars, beta: f.beta.scalars, fusedReLU: c.fuseReLU)
    #expect(matchesReference(y, expected.output.values) == nil)
    #expect(matchesReference(mean, expected.mean) == nil)
    #expect(matchesReference(variance, expected.variance) == nil)
    if c.fuseReLU {
      #expect(y.allSatisfy { $0 >= 0 })
      #expect(y.contains(0), "the fused ReLU should clip some outputs")
    }
  }

  @Test(
    "inference forward matches the reference with running statistics",
    arguments: BatchNormCase.all)
  func inferenceForwardMatchesReference(_ c: BatchNormCase) throws {
    let f = try BatchNormFixture(c)
    var rng = SeededRNG(seed: c.seed &+ 1000)
    let channels = c.shape[1]
    let runningMean = (0..<channels).map { _ in rng.nextFloat() - 0.5 }
    let runningVariance = (0..<channels).map { _ in 0.5 + rng.nextFloat() }
    let y = try f.forwardInference(mean: runningMean, variance: runningVariance)
    let expected = Reference.batchNormInference(
      f.refX, gamma: f.gamma.scalars, beta: f.beta.scalars,
      running: .init(mean: runningMean, variance: runningVariance), fusedReLU: c.fuseReLU)
    #expect(matchesReference(y, expected.values) == nil)
  }

  @Test("backward matches the reference", arguments: BatchNormCase.all)
  func backwardMatchesReference(_ c: BatchNormCase) throws {
    let f = try BatchNormFixture(c)
    let (dx, dGamma, dBeta) = try f.backward()
    let expected = Reference.batchNormTrainingBackward(
      f.refX, gamma: f.gamma.scalars, beta: f.beta.scalars,
      gradOutput: RefTensor(shape: c.referenceShape, values: f.upstream.scalars),
      fusedReLU: c.fuseReLU)
    #expect(matchesReference(dx, expected.input.values) == nil)
    #expect(matchesReference(dGamma, expected.gamma) == nil)
    #expect(matchesReference(dBeta, expected.beta) == nil)
  }

  @Test(
    "backward matches finite differences of the fast training forward",
    arguments: BatchNormCase.all)
  func backwardMatchesFiniteDifferences(_ c: BatchNormCase) throws {
    let f = try BatchNormFixture(c)
    // The analytic gradients first: the fused ReLU's workspace belongs to the last forward.
    let (dx, dGamma, dBeta) = try f.backward()
    let g = f.upstream.scalars
    let ch = [c.shape[1]]
    let numericX = fastVJP(at: f.x.scalars, upstream: g) { try f.forwardTraining(x: $0).y }
    #expect(matchesFiniteDifferences(dx, numericX) == nil)
    let numericGamma = fastVJP(at: f.gamma.scalars, upstream: g) {
      try f.forwardTraining(x: f.x.scalars, gamma: Tensor(shape: ch, scalars: $0)).y
    }
    #expect(matchesFiniteDifferences(dGamma, numericGamma) == nil)
    let numericBeta = fastVJP(at: f.beta.scalars, upstream: g) {
      try f.forwardTraining(x: f.x.scalars, beta: Tensor(shape: ch, scalars: $0)).y
    }
    #expect(matchesFiniteDifferences(dBeta, numericBeta) == nil)
  }

  @Test("training mode normalises with the batch statistics (mean 0, variance 1 per channel)")
  func trainingNormalisesWithBatchStatistics() throws {
    let ctx = try testContext()
    var rng = SeededRNG(seed: 31)
    let shape = [3, 20, 4, 5]
    // Per-channel offsets and scales far from 0 and 1.
    var values = normalTensor(shape, rng: &rng).scalars
    for i in values.indices {
      let ch = (i / 20) % 20
      values[i] = 3 + Float(ch) * 0.5 + (0.5 + Float(ch) * 0.2) * values[i]
    }
    let x = Tensor(shape: shape, scalars: values)
    let kernel = try BatchNormKernel(
      context: ctx, descriptor: .nChw16c(shape), training: true)
    var mean = Tensor(zeros: [20])
    var variance = Tensor(zeros: [20])
    let y = try ctx.perform {
      let src = try ctx.reorder(x, to: kernel.descriptor)
      var y = Tensor(zeros: kernel.descriptor)
      try kernel.forwardTraining(
        src, scale: Tensor(shape: [20], repeating: 1), shift: Tensor(zeros: [20]), into: &y,
        mean: &mean, variance: &variance)
      return try plainScalars(y, ctx)
    }
    let out = channelMoments(y, shape: shape)
    for ch in 0..<20 {
      #expect(abs(out.mean[ch]) < 1e-5, "channel \(ch) output mean \(out.mean[ch])")
      #expect(abs(out.variance[ch] - 1) < 1e-3, "channel \(ch) output variance \(out.variance[ch])")
    }
    let input = channelMoments(values, shape: shape)
    #expect(closeness(mean.scalars, input.mean, rtol: 1e-5, atol: 1e-5) == nil)
    #expect(closeness(variance.scalars, input.variance, rtol: 1e-4) == nil)
  }

  @Test("inference mode uses the running statistics, not the batch's", arguments: [false, true])
  func inferenceUsesRunningStatistics(fuseReLU: Bool) throws {
    let c = BatchNormCase(shape: [2, 17, 3, 3], layout: .nChw16c, fuseReLU: fuseReLU, seed: 32)
    let f = try BatchNormFixture(c)
    let train = try f.forwardTraining(x: f.x.scalars)
    // Running statistics unlike the batch's: the output must change.
    let shiftedMean = train.mean.map { $0 + 0.5 }
    let doubledVariance = train.variance.map { $0 * 2 }
    let eval = try f.forwardInference(mean: shiftedMean, variance: doubledVariance)
    let maxDifference = zip(eval, train.y).map { abs($0 - $1) }.max() ?? 0
    #expect(maxDifference > 0.1, "inference output ignored the running statistics")
    // Given the batch's own mean and biased variance, inference reproduces training.
    let same = try f.forwardInference(mean: train.mean, variance: train.variance)
    #expect(matchesReference(same, train.y) == nil)
  }

  @Test(
    "updateRunningStatistics follows PyTorch's rule with the unbiased variance",
    arguments: [[2, 5, 3, 3], [6, 5]])
  func runningStatisticsMatchReference(shape: [Int]) throws {
    let ctx = try testContext()
    let kernel = try BatchNormKernel(context: ctx, descriptor: .plain(shape), training: true)
    var rng = SeededRNG(seed: 33)
    let mean = normalTensor([5], rng: &rng)
    let variance = Tensor(shape: [5], scalars: (0..<5).map { _ in 0.1 + rng.nextFloat() })
    let start = Reference.BatchNormStatistics<Float>(
      mean: (0..<5).map { _ in rng.nextNormal() }, variance: (0..<5).map { _ in rng.nextFloat() })
    var runningMean = Tensor(shape: [5], scalars: start.mean)
    var runningVariance = Tensor(shape: [5], scalars: start.variance)
    kernel.updateRunningStatistics(
      mean: mean, variance: variance, runningMean: &runningMean,
      runningVariance: &runningVariance, momentum: 0.1)
    let count = shape.count == 4 ? shape[0] * shape[2] * shape[3] : shape[0]
    let expected = Reference.batchNormRunningUpdate(
      start, batchMean: mean.scalars, batchVariance: variance.scalars, count: count,
      momentum: 0.1)
    #expect(closeness(runningMean.scalars, expected.mean, rtol: 1e-6, atol: 1e-7) == nil)
    #expect(closeness(runningVariance.scalars, expected.variance, rtol: 1e-6, atol: 1e-7) == nil)
  }

  @Test("updateRunningStatistics: a hand-computed example")
  func runningStatisticsByHand() throws {
    let ctx = try testContext()
    // 2·2·2 = 8 values per channel: the unbiased variance is 3·8/7 = 24/7.
    let kernel = try BatchNormKernel(
      context: ctx, descriptor: .plain([2, 1, 2, 2]), training: true)
    var runningMean = Tensor(shape: [1], scalars: [0])
    var runningVariance = Tensor(shape: [1], scalars: [1])
    kernel.updateRunningStatistics(
      mean: Tensor(shape: [1], scalars: [2]), variance: Tensor(shape: [1], scalars: [3]),
      runningMean: &runningMean, runningVariance: &runningVariance)
    // 0.9·0 + 0.1·2 = 0.2; 0.9·1 + 0.1·24/7 = 1.2428571…
    #expect(abs(runningMean[0] - 0.2) < 1e-6)
    #expect(abs(runningVariance[0] - 1.242_857_1) < 1e-6)
  }

  @Test("an inference-only kernel refuses training forward and backward")
  func inferenceKernelRefusesTraining() throws {
    let ctx = try testContext()
    let shape = [2, 3, 2, 2]
    let kernel = try BatchNormKernel(context: ctx, descriptor: .plain(shape), training: false)
    var y = Tensor(zeros: shape)
    var mean = Tensor(zeros: [3])
    var variance = Tensor(zeros: [3])
    let ones = Tensor(shape: [3], repeating: 1)
    #expect(throws: TensorCoreError.self) {
      try kernel.forwardTraining(
        Tensor(zeros: shape), scale: ones, shift: ones, into: &y, mean: &mean,
        variance: &variance)
    }
  }
}
