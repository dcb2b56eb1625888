import TensorCore
import TestSupport
import Testing

/// Training-mode batch norm's batch statistics on batches as large as training uses, against
/// float64 sums of the same values.
@Suite("BatchNorm batch statistics")
struct BatchNormStatisticsTests {
  /// Plain values per channel `offset + scale·N(0, 1)` with offsets 3–6 and scales 0.5–1.5:
  /// means several standard deviations from zero, where single-precision running sums drift.
  static func values(_ shape: [Int], seed: UInt64) -> [Float] {
    var rng = SeededRNG(seed: seed)
    let channels = shape[1]
    let plane = shape.count == 4 ? shape[2] * shape[3] : 1
    let offsets = (0..<channels).map { _ in 3 + 3 * rng.nextFloat() }
    let scales = (0..<channels).map { _ in 0.5 + rng.nextFloat() }
    var xs = [Float](repeating: 0, count: shape.reduce(1, *))
    for k in xs.indices {
      let ch = (k / plane) % channels
      xs[k] = offsets[ch] + scales[ch] * rng.nextNormal()
    }
    return xs
  }

  /// Float64 mean and biased variance per channel of plain `xs`.
  static func reference(_ xs: [Float], shape: [Int]) -> (mean: [Double], variance: [Double]) {
    let channels = shape[1]
    let plane = shape.count == 4 ? shape[2] * shape[3] : 1
    var sums = [Double](repeating: 0, count: channels)
    for (k, x) in xs.enumerated() { sums[(k / plane) % channels] += Double(x) }
    let count = Double(xs.count / channels)
    let mean = sums.map { $0 / count }
    var squares = [Double](repeating: 0, count: channels)
    for (k, x) in xs.enumerated() {
      let ch = (k / plane) % channels
      squares[ch] += (Double(x) - mean[ch]) * (Double(x) - mean[ch])
    }
    return (mean, squares.map { $0 / count })
  }

  /// The kernel's batch mean and variance of plain `xs` laid out as `layout`.
  static func statistics(_ xs: [Float], shape: [Int], layout: Layout, threads: Int) throws
    -> (mean: [Float], variance: [Float])
  {
    let ctx = try ComputeContext(threads: threads)
    let descriptor = shape.count == 4 ? layout.descriptor(shape) : .plain(shape)
    let kernel = try BatchNormKernel(
      context: ctx, descriptor: descriptor, fuseReLU: true, training: true)
    let converter = try LayoutConverter(ctx, descriptor)
    let channels = shape[1]
    return try ctx.perform {
      var y = Tensor(zeros: descriptor)
      var mean = Tensor(zeros: [channels])
      var variance = Tensor(zeros: [channels])
      try kernel.forwardTraining(
        try converter.tensor(xs), scale: Tensor(shape: [channels], repeating: 1),
        shift: Tensor(shape: [channels], repeating: 0), into: &y, mean: &mean,
        variance: &variance)
      return (mean.scalars, variance.scalars)
    }
  }

  /// oneDNN 2.6's own statistics missed these by 1e-5 to 5e-5 (relative) on 128 images of
  /// 28×28; PyTorch's are within 1e-7. Float rounding of the result alone is 6e-8.
  @Test(
    "on a training-size batch, mean and variance are within float rounding of float64",
    arguments: [
      ([64, 20, 28, 28], Layout.nChw16c), ([64, 3, 28, 28], Layout.plain),
      ([4096, 24], Layout.plain),
    ])
  func statisticsMatchFloat64(shape: [Int], layout: Layout) throws {
    let xs = Self.values(shape, seed: 41)
    let want = Self.reference(xs, shape: shape)
    let got = try Self.statistics(xs, shape: shape, layout: layout, threads: 2)
    for ch in 0..<shape[1] {
      let meanError = abs(Double(got.mean[ch]) - want.mean[ch]) / abs(want.mean[ch])
      let varianceError = abs(Double(got.variance[ch]) - want.variance[ch]) / want.variance[ch]
      #expect(meanError <= 2e-7, "channel \(ch): mean \(got.mean[ch]) vs \(want.mean[ch])")
      #expect(
        varianceError <= 1e-6,
        "channel \(ch): variance \(got.variance[ch]) vs \(want.variance[ch])")
    }
  }

  /// Each (image, channel block) is summed by one thread and the pieces added in a fixed order.
  @Test("the statistics are the same bits with one thread and with two")
  func statisticsIndependentOfThreads() throws {
    for (shape, layout) in [([9, 20, 7, 7], Layout.nChw16c), ([9, 5, 3, 4], Layout.plain)] {
      let xs = Self.values(shape, seed: 42)
      let one = try Self.statistics(xs, shape: shape, layout: layout, threads: 1)
      let two = try Self.statistics(xs, shape: shape, layout: layout, threads: 2)
      #expect(one.mean == two.mean, "\(shape) \(layout)")
      #expect(one.variance == two.variance, "\(shape) \(layout)")
    }
  }
}
