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
}
