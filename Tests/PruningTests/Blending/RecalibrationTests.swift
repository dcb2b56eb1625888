import Datasets
import NeuralNet
import TensorCore
import Testing

@testable import Pruning

/// Batch-norm recalibration against statistics computed by hand from the conv outputs.
@Suite struct RecalibrationTests {
  @Test func runningStatisticsBecomeTheAverageOfBatchStatistics() throws {
    var net = try CriteriaFixtures.singleConvNet(out: 3, kernel: 3, bias: true, batchNorm: true)
    let split = CriteriaFixtures.noise(count: 12, shape: [1, 4, 4], classes: 2, seed: 9)
    let batch = 4
    let ctx = criteriaContext
    // By hand: per batch, the conv output's per-channel mean and unbiased variance.
    var means = [Double](repeating: 0, count: 3)
    var variances = [Double](repeating: 0, count: 3)
    try ctx.perform {
      var n = net
      let ex = try Executor(
        network: n, batch: batch, training: false, context: ctx, fuse: false)
      for b in 0..<3 {
        let images = Array(split.images[(b * batch * 16)..<((b + 1) * batch * 16)])
        _ = try images.withUnsafeBufferPointer { try ex.forward(&n, images: $0) }
        let y = try ex.activation("c1")  // [4, 3, 4, 4]
        let v = y.scalars
        for c in 0..<3 {
          var xs: [Double] = []
          for i in 0..<batch { for p in 0..<16 { xs.append(Double(v[(i * 3 + c) * 16 + p])) } }
          let m = xs.reduce(0, +) / Double(xs.count)
          let s2 = xs.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(xs.count - 1)
          means[c] += m / 3
          variances[c] += s2 / 3
        }
      }
    }
    try ctx.perform {
      let ex = try Executor(network: net, batch: batch, training: true, context: ctx)
      try ex.recalibrateBatchNorm(&net, on: split, batches: 3)
    }
    let rm = net.buffers["bn1.running_mean"]!.scalars
    let rv = net.buffers["bn1.running_var"]!.scalars
    for c in 0..<3 {
      #expect(abs(Double(rm[c]) - means[c]) < 1e-4)
      #expect(abs(Double(rv[c]) - variances[c]) < 1e-3 * max(1, variances[c]))
    }
  }

  @Test func tooFewImagesAreRefused() throws {
    var net = try CriteriaFixtures.singleConvNet(out: 3, bias: true, batchNorm: true)
    let split = CriteriaFixtures.noise(count: 6, shape: [1, 4, 4], classes: 2, seed: 9)
    try criteriaContext.perform {
      let ex = try Executor(network: net, batch: 4, training: true, context: criteriaContext)
      #expect(throws: NeuralNetError.self) {
        try ex.recalibrateBatchNorm(&net, on: split, batches: 2)
      }
    }
  }
}
