import TensorCore
import Testing

@testable import NeuralNet

/// A training executor joins each batch norm whose only consumer is an add to that add; the
/// forward values, gradients and running statistics must be those of running them apart
/// (`fuse: false`) to float rounding.
@Suite struct ResidualJoinTests {
  struct Pass {
    var logits: [Float]
    var gradients: [String: [Float]]
    var buffers: [String: [Float]]
    var joins: Int
  }

  static func pass(_ net: Network, _ x: [Float], _ y: [Int32], fuse: Bool, _ ctx: ComputeContext)
    throws -> Pass
  {
    let ex = try Executor(network: net, batch: y.count, training: true, context: ctx, fuse: fuse)
    let passes = try TrainingPasses(net, images: x, labels: y, executor: ex)
    return Pass(
      logits: passes.logits, gradients: passes.gradients,
      buffers: passes.network.buffers.mapValues(\.scalars), joins: ex.residualJoinCount)
  }

  /// Largest difference relative to the larger of the two arrays' largest magnitudes.
  static func difference(_ a: [Float], _ b: [Float]) -> Double {
    let scale = Double(max(a.map(abs).max() ?? 0, b.map(abs).max() ?? 0, 1e-12))
    return zip(a, b).map { Double(abs($0 - $1)) }.max().map { $0 / scale } ?? 0
  }

  @Test(arguments: ModelOptions.Shortcut.allCases, [0.25, 1.0])
  func joinedEqualsSeparate(_ shortcut: ModelOptions.Shortcut, _ width: Double) throws {
    let (net, x) = try TrainingPasses.resnet(shortcut, width: width, seed: 33, batch: 4)
    let y: [Int32] = [1, 4, 0, 2]
    let ctx = try ComputeContext(threads: 2)
    let (joined, separate) = try ctx.perform {
      (try Self.pass(net, x, y, fuse: true, ctx), try Self.pass(net, x, y, fuse: false, ctx))
    }
    // One join per residual block (nine in resnet20), none without fusion.
    #expect(joined.joins == 9)
    #expect(separate.joins == 0)
    #expect(Self.difference(joined.logits, separate.logits) <= 1e-5)
    #expect(joined.gradients.keys.sorted() == separate.gradients.keys.sorted())
    for (path, g) in separate.gradients {
      let d = Self.difference(joined.gradients[path] ?? [], g)
      #expect(d <= 1e-4, "\(path): \(d)")
    }
    for (path, b) in separate.buffers {
      let d = Self.difference(joined.buffers[path] ?? [], b)
      #expect(d <= 1e-5, "\(path): \(d)")
    }
    #expect(separate.gradients.values.contains { $0.contains { $0 != 0 } })
  }

  @Test func joinedBatchNormOutputIsNotKept() throws {
    let options = ModelOptions(inputChannels: 3, inputSize: 8, classes: 5, widthMultiplier: 0.25)
    var rng = SeededRNG(seed: 2)
    var net = try ModelZoo.make("resnet20", options: options, rng: &rng)
    let x = (0..<2 * 3 * 8 * 8).map { _ in rng.nextNormal() }
    let ctx = try ComputeContext(threads: 1)
    try ctx.perform {
      let joined = try Executor(network: net, batch: 2, training: true, context: ctx)
      _ = try x.withUnsafeBufferPointer { try joined.forward(&net, images: $0) }
      #expect(throws: NeuralNetError.self) { try joined.activation("layer1.0.bn2") }
      // The batch norm feeding a ReLU is not joined: its output is there.
      _ = try joined.activation("layer1.0.bn1")
      let separate = try Executor(
        network: net, batch: 2, training: true, context: ctx, fuse: false)
      _ = try x.withUnsafeBufferPointer { try separate.forward(&net, images: $0) }
      #expect(try separate.activation("layer1.0.bn2").shape == [2, 4, 8, 8])
    }
  }
}
