import TensorCore
import TestSupport
import Testing

/// Training batch norm joined with the residual add and ReLU that follow it, against a float64
/// reference of the three computed apart.
@Suite("BatchNorm joined with a residual add")
struct BatchNormResidualTests {
  struct Result {
    var sum: [Float]
    var mean: [Float]
    var variance: [Float]
    /// The output buffer as stored, padding lanes included.
    var raw: [Float]
  }

  static func run(
    _ xs: [Float], addend: [Float], gamma: [Float], beta: [Float], shape: [Int],
    layout: Layout, relu: Bool, threads: Int
  ) throws -> Result {
    let ctx = try ComputeContext(threads: threads)
    let descriptor = shape.count == 4 ? layout.descriptor(shape) : .plain(shape)
    let kernel = try BatchNormKernel(context: ctx, descriptor: descriptor, training: true)
    let converter = try LayoutConverter(ctx, descriptor)
    let channels = shape[1]
    return try ctx.perform {
      var y = Tensor(zeros: descriptor)
      // Garbage where the kernel must write (the padding lanes included).
      y.withUnsafeMutableBufferPointer { $0.update(repeating: 7) }
      var mean = Tensor(zeros: [channels])
      var variance = Tensor(zeros: [channels])
      try kernel.forwardTrainingResidual(
        try converter.tensor(xs), addend: try converter.tensor(addend),
        scale: Tensor(shape: [channels], scalars: gamma),
        shift: Tensor(shape: [channels], scalars: beta), relu: relu, into: &y, mean: &mean,
        variance: &variance)
      return Result(
        sum: try converter.values(y), mean: mean.scalars, variance: variance.scalars,
        raw: y.withUnsafeBufferPointer { Array($0) })
    }
  }

  static func inputs(_ shape: [Int], seed: UInt64) -> (
    x: [Float], addend: [Float], gamma: [Float], beta: [Float]
  ) {
    var rng = SeededRNG(seed: seed)
    let count = shape.reduce(1, *)
    let channels = shape[1]
    let x = BatchNormStatisticsTests.values(shape, seed: seed)
    let addend = (0..<count).map { _ in rng.nextNormal() }
    let gamma = (0..<channels).map { _ in 0.5 + rng.nextFloat() }
    let beta = (0..<channels).map { _ in rng.nextNormal() * 0.5 }
    return (x, addend, gamma, beta)
  }

  @Test(
    "the sum equals batch norm, then the add, then the ReLU, each in float64",
    arguments: [
      ([4, 20, 6, 5], Layout.nChw16c, true), ([4, 20, 6, 5], Layout.nChw16c, false),
      ([3, 32, 7, 7], Layout.nChw16c, true), ([4, 5, 6, 5], Layout.plain, true),
      ([4, 5, 6, 5], Layout.plain, false), ([9, 7], Layout.plain, true),
    ])
  func matchesReference(shape: [Int], layout: Layout, relu: Bool) throws {
    let (x, addend, gamma, beta) = Self.inputs(shape, seed: 5)
    let got = try Self.run(
      x, addend: addend, gamma: gamma, beta: beta, shape: shape, layout: layout, relu: relu,
      threads: 2)
    let (mean, variance) = channelMoments(x, shape: shape)
    let channels = shape[1]
    let plane = shape.count == 4 ? shape[2] * shape[3] : 1
    var negatives = 0
    for k in x.indices {
      let c = (k / plane) % channels
      let normalised = (Double(x[k]) - mean[c]) / (variance[c] + 1e-5).squareRoot()
      var want = Double(gamma[c]) * normalised + Double(beta[c]) + Double(addend[k])
      if want < 0 { negatives += 1 }
      if relu { want = max(0, want) }
      #expect(
        abs(Double(got.sum[k]) - want) <= 2e-6 * max(1, abs(want)),
        "value \(k): \(got.sum[k]) vs \(want)")
    }
    // Both signs occur, so the ReLU (or its absence) was exercised.
    #expect(negatives > x.count / 10 && negatives < x.count * 9 / 10)
    for c in 0..<channels {
      #expect(abs(Double(got.mean[c]) - mean[c]) <= 2e-7 * abs(mean[c]))
      #expect(abs(Double(got.variance[c]) - variance[c]) <= 1e-6 * variance[c])
    }
    if layout == .nChw16c && channels % 16 != 0 {
      // The last block's padding lanes are zero, as oneDNN's kernels expect.
      let groups = (channels + 15) / 16
      for n in 0..<shape[0] {
        for p in 0..<plane {
          for lane in channels % 16..<16 {
            let k = ((n * groups + groups - 1) * plane + p) * 16 + lane
            #expect(got.raw[k] == 0, "padding at image \(n), position \(p), lane \(lane)")
          }
        }
      }
    }
  }

  @Test("the same bits with one thread and two")
  func threadInvariant() throws {
    let shape = [6, 20, 9, 9]
    let (x, addend, gamma, beta) = Self.inputs(shape, seed: 8)
    let one = try Self.run(
      x, addend: addend, gamma: gamma, beta: beta, shape: shape, layout: .nChw16c, relu: true,
      threads: 1)
    let two = try Self.run(
      x, addend: addend, gamma: gamma, beta: beta, shape: shape, layout: .nChw16c, relu: true,
      threads: 2)
    #expect(one.sum == two.sum)
    #expect(one.mean == two.mean && one.variance == two.variance)
  }

  @Test("a batch norm with its own fused ReLU cannot join an add")
  func fusedReLURefused() throws {
    let ctx = try ComputeContext(threads: 1)
    let md = MemoryDescriptor.plain([2, 3, 4, 4])
    let kernel = try BatchNormKernel(context: ctx, descriptor: md, fuseReLU: true, training: true)
    #expect(!kernel.joinsResidual)
    ctx.perform {
      var y = Tensor(zeros: md)
      var mean = Tensor(zeros: [3])
      var variance = Tensor(zeros: [3])
      #expect(throws: TensorCoreError.self) {
        try kernel.forwardTrainingResidual(
          Tensor(zeros: md), addend: Tensor(zeros: md), scale: Tensor(zeros: [3]),
          shift: Tensor(zeros: [3]), relu: true, into: &y, mean: &mean, variance: &variance)
      }
    }
  }
}
