import TensorCore

@testable import NeuralNet

/// What two training passes of one executor on one batch leave: the last logits, the
/// parameter gradients and the network (its batch-norm running statistics updated twice).
/// Two passes, because buffers shared by liveness must start clean in each, and the second
/// starts from the running statistics the first updated.
struct TrainingPasses {
  var logits: [Float]
  var gradients: [String: [Float]]
  var network: Network

  init(_ net: Network, images x: [Float], labels y: [Int32], executor ex: Executor) throws {
    var n = net
    var logits: [Float] = []
    for _ in 0..<2 {
      let out = try x.withUnsafeBufferPointer { try ex.forward(&n, images: $0) }
      let ce = try SoftmaxCrossEntropy.evaluate(logits: out, labels: y)
      try ex.backward(n, lossGradient: ce.gradient)
      logits = out.scalars
    }
    self.logits = logits
    self.gradients = ex.parameterGradients.mapValues(\.scalars)
    self.network = n
  }

  /// A small resnet20 (3×8×8 input, 5 classes) with randomized batch-norm statistics and
  /// `batch` images, all drawn from one generator seeded with `seed` — the network both the
  /// aliasing and the residual-join tests train.
  static func resnet(
    _ shortcut: ModelOptions.Shortcut, width: Double, seed: UInt64, batch: Int
  ) throws -> (network: Network, images: [Float]) {
    let options = ModelOptions(
      inputChannels: 3, inputSize: 8, classes: 5, widthMultiplier: width, shortcut: shortcut)
    var rng = SeededRNG(seed: seed)
    var net = try ModelZoo.make("resnet20", options: options, rng: &rng)
    InferenceFusionTests.randomizeBatchNorm(&net, &rng)
    return (net, (0..<batch * 3 * 8 * 8).map { _ in rng.nextNormal() })
  }
}
