import TensorCore

#if canImport(Glibc)
  import Glibc
#endif

/// Knowledge distillation (Hinton, Vinyals, Dean 2015), the usual way pruning papers recover
/// accuracy: the student also matches the teacher's soft targets at temperature `T`.
///
///     loss = (1 − α)·CE(y, softmax(z)) + α·T²·KL(softmax(t/T) ‖ softmax(z/T))
///
/// with `z` the student's and `t` the teacher's logits (the teacher in evaluation mode, on the
/// same augmented images). Defaults: `T = 4`, `α = 0.9`, as in Hinton et al.'s and most pruning
/// papers' recipes.
///
/// ```swift
/// let kd = try Distillation(teacher: unpruned)
/// try trainer.train(&pruned, on: d.train, options: o, rng: rng, distillation: kd)
/// ```
public struct Distillation: Sendable {
  /// The network whose soft targets are matched (it is not trained).
  public var teacher: Network
  /// The softmax temperature `T` (> 0).
  public var temperature: Double
  /// The weight `α` of the soft-target term, in `[0, 1]`.
  public var alpha: Double

  /// Distillation from `teacher`; throws ``NeuralNetError/invalidOption(_:)`` for a temperature
  /// that is not positive or an `α` outside `[0, 1]`.
  public init(teacher: Network, temperature: Double = 4, alpha: Double = 0.9) throws {
    guard temperature.isFinite, temperature > 0 else {
      throw NeuralNetError.invalidOption("the temperature must be positive, got \(temperature)")
    }
    guard alpha.isFinite, alpha >= 0, alpha <= 1 else {
      throw NeuralNetError.invalidOption("alpha must be in [0, 1], got \(alpha)")
    }
    self.teacher = teacher
    self.temperature = temperature
    self.alpha = alpha
  }

  /// Checks that the teacher reads the student's images and predicts its classes.
  public func validate(student: Network) throws {
    guard teacher.inputShape == student.inputShape else {
      throw NeuralNetError.dataMismatch(
        "the teacher \(teacher.name) takes \(teacher.inputShape), the student \(student.name) "
          + "takes \(student.inputShape); a teacher must read the same images")
    }
    guard teacher.classes == student.classes else {
      throw NeuralNetError.dataMismatch(
        "the teacher \(teacher.name) predicts \(teacher.classes) classes, the student "
          + "\(student.name) \(student.classes); a teacher must predict the same classes")
    }
  }
}

/// The training loss with label smoothing and distillation: cross-entropy against
/// `q = (1 − ε)·onehot(y) + ε/K`, plus the soft-target term of ``Distillation`` when teacher
/// logits are given. Mean over the batch; gradient with respect to the student's logits:
///
///     ∂/∂z_j = [(1 − α)(p_j − q_j) + α·T·(s_j − τ_j)] / N
///
/// with `p = softmax(z)`, `s = softmax(z/T)`, `τ = softmax(t/T)`.
public enum TrainingLoss {
  /// Loss, accuracy count (arg-max of the student) and gradient.
  public static func evaluate(
    logits: Tensor, labels: [Int32], smoothing: Double = 0, teacherLogits: Tensor? = nil,
    temperature: Double = 1, alpha: Double = 0
  ) throws -> SoftmaxCrossEntropyResult {
    guard logits.isPlain, logits.shape.count == 2, logits.shape[0] == labels.count else {
      throw TensorCoreError.shapeMismatch("loss logits \(logits.shape) with \(labels.count) labels")
    }
    let n = logits.shape[0]
    let k = logits.shape[1]
    guard n > 0, k > 0 else {
      throw TensorCoreError.invalidArgument("the loss needs at least one row and one class")
    }
    if let t = teacherLogits, t.shape != logits.shape {
      throw TensorCoreError.shapeMismatch("teacher logits \(t.shape), student \(logits.shape)")
    }
    let a = teacherLogits == nil ? 0 : alpha
    let z = logits.scalars.map(Double.init)
    let teacher = teacherLogits?.scalars.map(Double.init)
    var grad = [Float](repeating: 0, count: n * k)
    var loss = 0.0
    var correct = 0
    for i in 0..<n {
      let label = Int(labels[i])
      guard label >= 0 && label < k else {
        throw TensorCoreError.invalidArgument("label \(label) outside 0..<\(k) at row \(i)")
      }
      let row = Array(z[(i * k)..<((i + 1) * k)])
      if let arg = row.indices.max(by: { row[$0] < row[$1] || (row[$0] == row[$1] && $0 > $1) }),
        arg == label
      {
        correct += 1
      }
      let logP = logSoftmax(row, temperature: 1)
      var g = [Double](repeating: 0, count: k)
      for j in 0..<k {
        let q = (j == label ? 1 - smoothing : 0) + smoothing / Double(k)
        loss -= (1 - a) * q * logP[j]
        g[j] += (1 - a) * (exp(logP[j]) - q)
      }
      if let teacher, a > 0 {
        let T = temperature
        let logS = logSoftmax(row, temperature: T)
        let logTau = logSoftmax(Array(teacher[(i * k)..<((i + 1) * k)]), temperature: T)
        for j in 0..<k {
          let tau = exp(logTau[j])
          loss += a * T * T * tau * (logTau[j] - logS[j])
          g[j] += a * T * (exp(logS[j]) - tau)
        }
      }
      for j in 0..<k { grad[i * k + j] = Float(g[j] / Double(n)) }
    }
    return SoftmaxCrossEntropyResult(
      loss: loss / Double(n), correct: correct, gradient: Tensor(shape: [n, k], scalars: grad))
  }

  /// `log softmax(x / T)`, stable.
  static func logSoftmax(_ x: [Double], temperature: Double) -> [Double] {
    let scaled = x.map { $0 / temperature }
    let m = scaled.max() ?? 0
    let logSum = log(scaled.reduce(0) { $0 + exp($1 - m) }) + m
    return scaled.map { $0 - logSum }
  }
}
