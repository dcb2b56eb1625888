import Datasets
import TensorCore

extension Executor {
  /// Re-estimates every batch norm's running statistics of `network` from `batches` full
  /// batches of `split` (the first `batches × batch` images, in order): the statistics are
  /// reset and become the plain average of the per-batch means and unbiased variances, as
  /// PyTorch's `momentum=None` does. Pruned networks need this before they are judged without
  /// fine-tuning: removing channels shifts the statistics the batch norms were trained with.
  ///
  /// The executor must be a training one (batch norm on batch statistics). Nothing but the
  /// running statistics of `network` changes.
  ///
  /// ```swift
  /// let ex = try Executor(network: net, batch: 64, training: true, context: ctx)
  /// try ex.recalibrateBatchNorm(&net, on: train, batches: 16)
  /// ```
  public func recalibrateBatchNorm(_ network: inout Network, on split: DataSplit, batches: Int)
    throws
  {
    guard training else {
      throw NeuralNetError.invalidOption("recalibrating batch norm needs a training executor")
    }
    guard batches >= 1, batches * batch <= split.count else {
      throw NeuralNetError.dataMismatch(
        "recalibration wants \(batches) batches of \(batch) images, the split has \(split.count)")
    }
    for node in network.nodes {
      guard case .batchNorm(let spec) = node.operation else { continue }
      network.buffers[node.name + ".running_mean"] = Tensor(zeros: [spec.channels])
      network.buffers[node.name + ".running_var"] = Tensor(shape: [spec.channels], repeating: 1)
    }
    let size = split.imageSize
    defer { momentumOverride = nil }
    try split.images.withUnsafeBufferPointer { all in
      for b in 0..<batches {
        momentumOverride = 1 / Float(b + 1)
        let slice = UnsafeBufferPointer(
          rebasing: all[(b * batch * size)..<((b + 1) * batch * size)])
        _ = try forward(&network, images: slice)
      }
    }
  }
}
