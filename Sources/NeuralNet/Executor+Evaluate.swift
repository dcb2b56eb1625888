import Datasets
import TensorCore

extension Executor {
  /// Mean cross-entropy and accuracy of `network` (same graph as the executor's) on the first
  /// `count` images of `split`, in order, in batches of the executor's size. The last partial
  /// batch is padded with zero images whose outputs are ignored, so one executor serves the
  /// whole pass (with batch norm on running statistics each image's output is its own).
  public func evaluate(_ network: inout Network, on split: DataSplit, count: Int) throws
    -> Metrics
  {
    guard count > 0, count <= split.count else {
      throw NeuralNetError.dataMismatch("cannot evaluate \(count) of \(split.count) images")
    }
    let bs = batch
    let size = split.imageSize
    var buffer = [Float](repeating: 0, count: bs * size)
    var lossSum = 0.0
    var correct = 0
    var start = 0
    while start < count {
      let n = min(bs, count - start)
      split.images.withUnsafeBufferPointer { src in
        buffer.withUnsafeMutableBufferPointer { dst in
          // Both are non-empty here: `start < count` images of `size > 0` values, and `buffer`
          // holds `batch > 0` of them.
          dst.baseAddress!.update(from: src.baseAddress! + start * size, count: n * size)
          if n < bs { (dst.baseAddress! + n * size).update(repeating: 0, count: (bs - n) * size) }
        }
      }
      let logits = try buffer.withUnsafeBufferPointer { try forward(&network, images: $0) }
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
