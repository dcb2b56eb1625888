import Foundation

extension Reference {
  /// The mean softmax cross-entropy over a batch and its gradient with respect to the logits.
  public struct SoftmaxCrossEntropyResult<Scalar: RefScalar>: Equatable, Sendable {
    /// `mean over n of −log softmax(logits[n])[label[n]]`, in `Double`.
    public var loss: Double
    /// ∂loss/∂logits = `(softmax(logits) − onehot(labels)) / N`, `[N, K]`.
    public internal(set) var gradLogits: RefTensor<Scalar>
  }

  /// Row-wise softmax of `[N, K]` logits, numerically stable (the row maximum is subtracted).
  public static func softmax<S>(_ logits: RefTensor<S>) -> RefTensor<S> {
    precondition(logits.rank == 2, "Reference.softmax: logits must be [N, K], got \(logits.shape)")
    let (n, k) = (logits.shape[0], logits.shape[1])
    var p = RefTensor<S>.zeros(logits.shape)
    for i in 0..<n {
      let row = (0..<k).map { logits[i, $0].refDouble }
      let m = row.max() ?? 0
      let e = row.map { exp($0 - m) }
      let z = e.reduce(0, +)
      for j in 0..<k { p[i, j] = S(e[j] / z) }
    }
    return p
  }

  /// Softmax cross-entropy of `[N, K]` logits against integer labels in `0..<K`, MEAN over the
  /// batch, and its gradient. Stable: uses `log Σ exp(z − max) + max`.
  ///
  /// ```swift
  /// let r = Reference.softmaxCrossEntropy(logits: z, labels: [0, 2])
  /// // r.loss, r.gradLogits
  /// ```
  public static func softmaxCrossEntropy<S>(logits: RefTensor<S>, labels: [Int])
    -> SoftmaxCrossEntropyResult<S>
  {
    precondition(
      logits.rank == 2, "Reference.softmaxCrossEntropy: logits must be [N, K], got \(logits.shape)")
    let (n, k) = (logits.shape[0], logits.shape[1])
    precondition(
      labels.count == n && n > 0,
      "Reference.softmaxCrossEntropy: \(labels.count) labels for \(n) rows (need one per row)")
    var loss = 0.0
    var grad = RefTensor<S>.zeros(logits.shape)
    for i in 0..<n {
      precondition(
        (0..<k).contains(labels[i]),
        "Reference.softmaxCrossEntropy: label \(labels[i]) at row \(i) is outside 0..<\(k)")
      let row = (0..<k).map { logits[i, $0].refDouble }
      let m = row.max() ?? 0
      let e = row.map { exp($0 - m) }
      let z = e.reduce(0, +)
      loss += log(z) + m - row[labels[i]]
      for j in 0..<k {
        let target: Double = j == labels[i] ? 1 : 0
        grad[i, j] = S((e[j] / z - target) / Double(n))
      }
    }
    return SoftmaxCrossEntropyResult(loss: loss / Double(n), gradLogits: grad)
  }
}
