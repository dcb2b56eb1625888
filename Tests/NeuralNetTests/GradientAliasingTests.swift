import TensorCore
import Testing

@testable import NeuralNet

/// An add hands its output gradient to its inputs by sharing the buffer; the gradients must be
/// bit for bit those of copying it into each input (the previous path, kept for this test).
@Suite struct GradientAliasingTests {
  func gradients(_ net: Network, _ x: [Float], _ y: [Int32], alias: Bool, _ ctx: ComputeContext)
    throws -> [String: [Float]]
  {
    let ex = try Executor(
      network: net, batch: y.count, training: true, context: ctx, keepGradients: false, fuse: true,
      aliasAddGradients: alias)
    return try TrainingPasses(net, images: x, labels: y, executor: ex).gradients
  }

  @Test(arguments: ModelOptions.Shortcut.allCases, [0.25, 1.0])
  func aliasedEqualsCopied(_ shortcut: ModelOptions.Shortcut, _ width: Double) throws {
    let (net, x) = try TrainingPasses.resnet(shortcut, width: width, seed: 21, batch: 3)
    let y: [Int32] = [1, 4, 0]
    let ctx = try ComputeContext(threads: 1)
    let (aliased, copied) = try ctx.perform {
      (
        try gradients(net, x, y, alias: true, ctx),
        try gradients(net, x, y, alias: false, ctx)
      )
    }
    #expect(aliased.keys.sorted() == net.parameterPaths.sorted())
    for (path, g) in copied {
      #expect(aliased[path] == g, "\(path) differs")
    }
    #expect(copied.values.contains { $0.contains { $0 != 0 } })
  }

  /// With aliasing, each block input after the first (an add+ReLU output read by the next
  /// block's conv and shortcut) takes its ReLU mask with its last summed gradient — the
  /// equality above then checks that path bit for bit against summing and masking apart.
  @Test func blockInputsMaskWithTheirLastSum() throws {
    let options = ModelOptions(inputChannels: 3, inputSize: 8, classes: 5, widthMultiplier: 0.25)
    var rng = SeededRNG(seed: 4)
    let net = try ModelZoo.make("resnet20", options: options, rng: &rng)
    let ctx = try ComputeContext(threads: 1)
    try ctx.perform {
      let aliased = try Executor(
        network: net, batch: 2, training: true, context: ctx, keepGradients: false, fuse: true,
        aliasAddGradients: true)
      let copied = try Executor(
        network: net, batch: 2, training: true, context: ctx, keepGradients: false, fuse: true,
        aliasAddGradients: false)
      #expect(aliased.maskedAccumulationCount == 8)
      #expect(copied.maskedAccumulationCount == 0)
    }
  }
}
