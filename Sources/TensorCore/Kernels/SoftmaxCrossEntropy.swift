#if canImport(Glibc)
  import Glibc
#endif

/// The result of ``SoftmaxCrossEntropy/evaluate(logits:labels:)``.
public struct SoftmaxCrossEntropyResult: Sendable {
  /// Mean cross-entropy over the batch.
  public var loss: Double
  /// Number of rows whose arg-max equals the label (first index wins ties).
  public var correct: Int
  /// `∂loss/∂logits = (softmax − onehot) / N`, plain `[N, K]`.
  public internal(set) var gradient: Tensor

  /// A result from its parts (for other losses of the same shape, e.g. distillation).
  public init(loss: Double, correct: Int, gradient: Tensor) {
    self.loss = loss
    self.correct = correct
    self.gradient = gradient
  }
}

/// Softmax cross-entropy with integer labels, averaged over the batch (PyTorch's default).
public enum SoftmaxCrossEntropy {
  /// Loss, accuracy count and gradient. Numerically stable (the row max is subtracted).
  public static func evaluate(logits: Tensor, labels: [Int32]) throws -> SoftmaxCrossEntropyResult {
    guard logits.isPlain, logits.shape.count == 2, logits.shape[0] == labels.count else {
      throw TensorCoreError.shapeMismatch(
        "cross-entropy logits \(logits.shape) with \(labels.count) labels")
    }
    let n = logits.shape[0]
    let k = logits.shape[1]
    guard n > 0, k > 0 else {
      throw TensorCoreError.invalidArgument("cross-entropy needs at least one row and one class")
    }
    var grad = Tensor(zeros: [n, k])
    grad.makeUnique()
    let z = logits.storage.pointer
    let g = grad.storage.pointer
    var loss: Double = 0
    var correct = 0
    for i in 0..<n {
      let label = Int(labels[i])
      guard label >= 0 && label < k else {
        throw TensorCoreError.invalidArgument("label \(label) outside 0..<\(k) at row \(i)")
      }
      let row = z + i * k
      var maxV = row[0]
      var arg = 0
      for j in 1..<k where row[j] > maxV {
        maxV = row[j]
        arg = j
      }
      if arg == label { correct += 1 }
      var sum: Double = 0
      for j in 0..<k { sum += exp(Double(row[j] - maxV)) }
      let logSum = log(sum)
      loss += logSum - Double(row[label] - maxV)
      for j in 0..<k {
        let p = exp(Double(row[j] - maxV) - logSum)
        g[i * k + j] = Float((p - (j == label ? 1 : 0)) / Double(n))
      }
    }
    return SoftmaxCrossEntropyResult(loss: loss / Double(n), correct: correct, gradient: grad)
  }
}
