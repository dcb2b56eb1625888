import TensorCore
import TestSupport
import Testing

@Suite("SoftmaxCrossEntropy")
struct SoftmaxCrossEntropyTests {
  @Test("loss, correct count and gradient match the reference and finite differences")
  func matchesReferenceAndFiniteDifferences() throws {
    var rng = SeededRNG(seed: 111)
    let (n, k) = (4, 7)
    let logits = normalTensor([n, k], std: 2, rng: &rng)
    let labels = (0..<n).map { _ in Int32(rng.nextInt(below: k)) }
    let result = try SoftmaxCrossEntropy.evaluate(logits: logits, labels: labels)
    let expected = Reference.softmaxCrossEntropy(
      logits: RefTensor(shape: [n, k], values: logits.scalars), labels: labels.map(Int.init))
    #expect(closeness(result.loss, expected.loss, rtol: 1e-6) == nil)
    #expect(matchesReference(result.gradient.scalars, expected.gradLogits.values) == nil)
    // Correct count from an independent arg-max (first index wins ties).
    var correct = 0
    for i in 0..<n {
      let row = (0..<k).map { logits[i, $0] }
      if row.firstIndex(of: row.max()!) == Int(labels[i]) { correct += 1 }
    }
    #expect(result.correct == correct)
    let numeric = FiniteDifference.gradient(at: logits.scalars, step: FDSettings.step) { z in
      (try? SoftmaxCrossEntropy.evaluate(logits: Tensor(shape: [n, k], scalars: z), labels: labels)
        .loss) ?? .nan
    }
    #expect(matchesFiniteDifferences(result.gradient.scalars, numeric) == nil)
  }

  @Test("a hand-checked batch, with a tie that the first index wins")
  func handExample() throws {
    let logits = Tensor(shape: [4, 3], scalars: [1, 3, 2, 5, 0, 5, 0, 0, 1, 2, 1, 0])
    let result = try SoftmaxCrossEntropy.evaluate(logits: logits, labels: [1, 2, 2, 1])
    // Rows 0 and 2 are right; row 1 ties 0 and 2 (index 0 wins, label 2); row 3 is wrong.
    #expect(result.correct == 2)
    // numpy: z − max, log Σ exp, mean of (lse − z[label]) and (softmax − onehot)/4.
    #expect(closeness(result.loss, 0.7657917836507229, rtol: 1e-6) == nil)
    let gradient: [Double] = [
      0.022507643292595116, -0.08368976105629455, 0.06118211776369941,
      0.12458029229668717, 0.0008394154066256537, -0.12541970770331284,
      0.05298538940427136, 0.05298538940427136, -0.10597077880854272,
      0.16631023894370545, -0.18881788223630058, 0.022507643292595116,
    ]
    #expect(closeness(result.gradient.scalars, gradient, rtol: 1e-5, atol: 1e-7) == nil)
  }

  @Test("large logits stay finite")
  func largeLogitsAreStable() throws {
    let logits = Tensor(shape: [1, 3], scalars: [1000, 0, -1000])
    let result = try SoftmaxCrossEntropy.evaluate(logits: logits, labels: [1])
    #expect(closeness(result.loss, 1000, rtol: 1e-6) == nil)
    #expect(result.gradient.scalars.allSatisfy { $0.isFinite })
  }

  @Test("labels outside the classes and a wrong label count are rejected")
  func badLabelsThrow() {
    #expect(throws: TensorCoreError.self) {
      _ = try SoftmaxCrossEntropy.evaluate(logits: Tensor(zeros: [2, 3]), labels: [0, 3])
    }
    #expect(throws: TensorCoreError.self) {
      _ = try SoftmaxCrossEntropy.evaluate(logits: Tensor(zeros: [2, 3]), labels: [0])
    }
  }
}
