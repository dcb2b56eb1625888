import Datasets
import NeuralNet
import TensorCore
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// Distillation, label smoothing, one-cycle and warm-up: values by hand and gradients by finite
/// differences.
@Suite struct RecipeTests {
  func loss(
    _ z: [Float], _ labels: [Int32], teacher: [Float]?, smoothing: Double, t: Double, alpha: Double
  ) throws -> SoftmaxCrossEntropyResult {
    let k = z.count / labels.count
    return try TrainingLoss.evaluate(
      logits: Tensor(shape: [labels.count, k], scalars: z), labels: labels, smoothing: smoothing,
      teacherLogits: teacher.map { Tensor(shape: [labels.count, k], scalars: $0) },
      temperature: t, alpha: alpha)
  }

  @Test func distillationGradientMatchesFiniteDifferences() throws {
    var rng = SeededRNG(seed: 4)
    let z = (0..<12).map { _ in rng.nextNormal() * 2 }
    let teacher = (0..<12).map { _ in rng.nextNormal() * 2 }
    let labels: [Int32] = [0, 3, 1]
    for (smoothing, t, alpha) in [(0.0, 4.0, 0.9), (0.1, 2.0, 0.5), (0.2, 1.0, 0.0)] {
      let result = try loss(z, labels, teacher: teacher, smoothing: smoothing, t: t, alpha: alpha)
      let g = result.gradient.scalars
      for i in z.indices {
        let h: Float = 1e-2
        var up = z
        up[i] += h
        var down = z
        down[i] -= h
        let numeric =
          (try loss(up, labels, teacher: teacher, smoothing: smoothing, t: t, alpha: alpha).loss
            - loss(down, labels, teacher: teacher, smoothing: smoothing, t: t, alpha: alpha).loss)
          / Double(2 * h)
        #expect(abs(numeric - Double(g[i])) < 1e-4, "entry \(i), T \(t), α \(alpha)")
      }
    }
  }

  @Test func lossValuesByHand() throws {
    // Logits [0, 0], label 0, ε = 0.2: q = [0.9, 0.1], p = [½, ½]: loss ln 2, ∂ = p − q.
    let smooth = try loss([0, 0], [0], teacher: nil, smoothing: 0.2, t: 1, alpha: 0)
    #expect(abs(smooth.loss - log(2)) < 1e-12)
    #expect(smooth.gradient.scalars == [-0.4, 0.4])
    // A teacher equal to the student adds no loss (KL = 0) and no gradient.
    let z: [Float] = [1, -2, 0.5, 3, 0, 0]
    let same = try loss(z, [2, 0], teacher: z, smoothing: 0, t: 3, alpha: 0.7)
    let plain = try SoftmaxCrossEntropy.evaluate(
      logits: Tensor(shape: [2, 3], scalars: z), labels: [2, 0])
    #expect(abs(same.loss - 0.3 * plain.loss) < 1e-9)
    for (a, b) in zip(same.gradient.scalars, plain.gradient.scalars) {
      #expect(abs(a - 0.3 * b) < 1e-7)
    }
    // Teacher [ln 3, 0] at T = 1 puts τ = [¾, ¼]; student [0, 0], α = 1:
    // KL = ¾ ln(¾/½) + ¼ ln(¼/½) = ¾ ln 1.5 − ¼ ln 2.
    let kd = try loss([0, 0], [0], teacher: [Float(log(3.0)), 0], smoothing: 0, t: 1, alpha: 1)
    #expect(abs(kd.loss - (0.75 * log(1.5) - 0.25 * log(2.0))) < 1e-6)
  }

  @Test func oneCycleMatchesPyTorch() {
    // torch.optim.lr_scheduler.OneCycleLR(max_lr=0.1, total_steps=10) gives
    // 0.004, 0.052, 0.1, …, 4e-7 (peak at step 0.3·10 − 1 = 2).
    let rates = (0..<10).map {
      LearningRateSchedule.oneCycle.rate(
        base: 0.1, epoch: $0 / 5, batch: $0 % 5, batchesPerEpoch: 5, epochs: 2)
    }
    #expect(abs(rates[0] - 0.004) < 1e-12)
    #expect(abs(rates[1] - 0.052) < 1e-12)
    #expect(abs(rates[2] - 0.1) < 1e-12)
    // Step 3 of the cosine descent over 7 steps: 4e-7 + (0.1 − 4e-7)/2 · (1 + cos(π/7)).
    #expect(abs(rates[3] - (4e-7 + (0.1 - 4e-7) / 2 * (1 + cos(Double.pi / 7)))) < 1e-12)
    #expect(abs(rates[9] - 4e-7) < 1e-15)
  }

  @Test func cycledMomentumMatchesPyTorch() {
    // OneCycleLR(max_lr=0.1, total_steps=10, cycle_momentum=True) with base_momentum 0.85 and
    // max_momentum 0.95: 0.95 at step 0, 0.9 half way up, 0.85 at the peak (step 2), then the
    // cosine back up over 7 steps to 0.95 at step 9.
    var o = TrainingOptions()
    o.epochs = 2
    o.schedule = .oneCycle
    o.cycleMomentum = true
    let m = (0..<10).map { o.momentum(epoch: $0 / 5, batch: $0 % 5, batchesPerEpoch: 5) }
    #expect(abs(m[0] - 0.95) < 1e-12)
    #expect(abs(m[1] - 0.90) < 1e-12)
    #expect(abs(m[2] - 0.85) < 1e-12)
    #expect(abs(m[3] - (0.95 + (0.85 - 0.95) / 2 * (1 + cos(Double.pi / 7)))) < 1e-12)
    #expect(abs(m[9] - 0.95) < 1e-12)
    // Without cycling, or with another schedule, the momentum stays.
    o.cycleMomentum = false
    #expect(o.momentum(epoch: 0, batch: 2, batchesPerEpoch: 5) == 0.9)
    o.cycleMomentum = true
    o.schedule = .cosine
    #expect(o.momentum(epoch: 0, batch: 2, batchesPerEpoch: 5) == 0.9)
  }

  @Test func aCycledRunStepsWithTheCycledMomentum() throws {
    // One step (one batch, one epoch) of one-cycle starts at momentum + 0.05; with Nesterov the
    // first update is −η·(1 + μ)·g, so the cycled run at 0.9 must equal a plain run at 0.95 and
    // differ from a plain run at 0.9.
    var rng = SeededRNG(seed: 3)
    let labels = (0..<32).map { Int32($0 % 4) }
    let images = labels.flatMap { label in (0..<64).map { _ in rng.nextNormal() + Float(label) } }
    let split = DataSplit(images: images, labels: labels, channels: 1, height: 8, width: 8)
    let start = try ModelZoo.make(
      "vgg-small",
      options: ModelOptions(inputChannels: 1, inputSize: 8, classes: 4, widthMultiplier: 0.25),
      rng: &rng)
    let context = try ComputeContext(threads: 1)
    func trained(momentum: Double, cycle: Bool) throws -> [String: [Float]] {
      var o = TrainingOptions()
      o.batchSize = 32
      o.learningRate = 2
      o.schedule = .oneCycle
      o.nesterov = true
      o.momentum = momentum
      o.cycleMomentum = cycle
      var run = try TrainingRun(
        network: start, split: split, options: o, rng: SeededRNG(seed: 8), context: context)
      _ = try run.epoch(0)
      return run.network.parameters.mapValues(\.scalars)
    }
    let cycled = try trained(momentum: 0.9, cycle: true)
    #expect(cycled == (try trained(momentum: 0.95, cycle: false)))
    #expect(cycled != (try trained(momentum: 0.9, cycle: false)))
  }

  @Test func warmUpScalesTheFirstEpochs() {
    var o = TrainingOptions()
    o.epochs = 4
    o.learningRate = 0.1
    o.schedule = .constant
    o.warmupEpochs = 1
    #expect(o.learningRate(epoch: 0, batch: 0, batchesPerEpoch: 4) == 0.1 * 1 / 4)
    #expect(o.learningRate(epoch: 0, batch: 3, batchesPerEpoch: 4) == 0.1)
    #expect(o.learningRate(epoch: 2, batch: 1, batchesPerEpoch: 4) == 0.1)
  }

  @Test func aTeacherOfAnotherShapeIsRefused() throws {
    var rng = SeededRNG(seed: 1)
    let student = try ModelZoo.make(
      "vgg-small", options: ModelOptions(inputChannels: 1, inputSize: 8, classes: 4), rng: &rng)
    let classes = try ModelZoo.make(
      "vgg-small", options: ModelOptions(inputChannels: 1, inputSize: 8, classes: 5), rng: &rng)
    let input = try ModelZoo.make(
      "vgg-small", options: ModelOptions(inputChannels: 1, inputSize: 16, classes: 4), rng: &rng)
    #expect(throws: NeuralNetError.self) {
      try Distillation(teacher: classes).validate(student: student)
    }
    #expect(throws: NeuralNetError.self) {
      try Distillation(teacher: input).validate(student: student)
    }
    #expect(throws: NeuralNetError.self) { try Distillation(teacher: student, temperature: 0) }
    try Distillation(teacher: student).validate(student: student)
  }
}
