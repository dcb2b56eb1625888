import Datasets
import NeuralNet
import TensorCore

/// Loss and accuracy of masked variants of one network on a fixed calibration set, reusing one
/// inference executor (masked networks keep the graph, so nothing is rebuilt).
public final class MaskedEvaluator {
  /// The unmasked network.
  public let network: Network
  let calibration: Calibration
  private var executor: Executor?
  private let count: Int

  /// Prepares evaluation of `network`'s variants on `calibration`.
  public init(network: Network, calibration: Calibration) throws {
    guard calibration.split.imageShape == network.inputShape else {
      throw PruningError.invalidOption(
        "calibration images are \(calibration.split.imageShape), the network takes \(network.inputShape)"
      )
    }
    self.network = network
    self.calibration = calibration
    self.count = min(calibration.images, calibration.split.count)
    guard count > 0 else { throw PruningError.invalidOption("no calibration images") }
  }

  /// Mean loss and accuracy of `variant` (same graph as ``network``).
  public func evaluate(_ variant: Network) throws -> Metrics {
    let bs = min(calibration.batchSize, count)
    let split = calibration.split
    return try calibration.context.perform {
      if executor == nil {
        executor = try Executor(
          network: network, batch: bs, training: false, context: calibration.context)
      }
      var net = variant
      let size = split.imageSize
      var buffer = [Float](repeating: 0, count: bs * size)
      var lossSum = 0.0
      var correct = 0
      var start = 0
      while start < count {
        let n = min(bs, count - start)
        split.images.withUnsafeBufferPointer { src in
          buffer.withUnsafeMutableBufferPointer { dst in
            dst.baseAddress!.update(from: src.baseAddress! + start * size, count: n * size)
            if n < bs {
              (dst.baseAddress! + n * size).update(repeating: 0, count: (bs - n) * size)
            }
          }
        }
        let logits = try buffer.withUnsafeBufferPointer { try executor!.forward(&net, images: $0) }
        let k = logits.shape[1]
        let rows = Tensor(shape: [n, k], scalars: Array(logits.scalars.prefix(n * k)))
        let ce = try SoftmaxCrossEntropy.evaluate(
          logits: rows, labels: Array(split.labels[start..<start + n]))
        lossSum += ce.loss * Double(n)
        correct += ce.correct
        start += n
      }
      return Metrics(
        loss: lossSum / Double(count), accuracy: Double(correct) / Double(count), count: count,
        correct: correct)
    }
  }
}
