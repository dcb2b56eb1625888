import Datasets
import Foundation
import NeuralNet
import TensorCore
import Testing

private let fashionDirectory = "/usr/share/datasets/fashion-mnist"

/// Training end to end on real data, at CI size.
@Suite struct TrainingTests {
  @Test(
    .enabled(
      if: FileManager.default.fileExists(atPath: fashionDirectory),
      "Fashion-MNIST is not installed (scripts/setup installs dataset-fashion-mnist)"))
  func vggSmallLearnsFashionMNISTSubset() throws {
    var rng = SeededRNG(seed: 42)
    let full = try Dataset.fashionMNIST().normalized()
    let data = try full.subset(train: 3000, test: 1000, selection: .stratified, using: &rng)
    var net = try ModelZoo.make(
      "vgg-small", options: ModelOptions(inputChannels: 1, inputSize: 28, widthMultiplier: 0.5),
      rng: &rng)
    let trainer = Trainer(context: try ComputeContext())
    let before = try trainer.evaluate(net, on: data.test)
    var options = TrainingOptions()
    options.epochs = 2
    options.batchSize = 50
    options.learningRate = 0.05
    var losses: [Double] = []
    let report = try trainer.train(&net, on: data.train, options: options, rng: rng.split()) {
      losses.append($0.loss)
      return .proceed
    }
    let after = try trainer.evaluate(net, on: data.test)
    #expect(report.epochs.count == 2 && !report.interrupted)
    #expect(report.epochs[1].loss < report.epochs[0].loss, "epoch losses \(report.epochs)")
    #expect(losses.count == 2 * 60)
    #expect(after.loss < before.loss)
    // Chance is 10%; a working trainer reaches well above 70% on this subset.
    #expect(after.accuracy > 0.7, "test accuracy \(after.accuracy), before \(before.accuracy)")
  }

  @Test func stopRequestEndsTrainingAtTheNextBatch() throws {
    var rng = SeededRNG(seed: 3)
    let split = DataSplit(
      images: (0..<64 * 64).map { _ in rng.nextNormal() }, labels: (0..<64).map { Int32($0 % 4) },
      channels: 1, height: 8, width: 8)
    var net = try ModelZoo.make(
      "vgg-small",
      options: ModelOptions(inputChannels: 1, inputSize: 8, classes: 4, widthMultiplier: 0.25),
      rng: &rng)
    var options = TrainingOptions()
    options.epochs = 3
    options.batchSize = 8
    var calls = 0
    let report = try Trainer(context: try ComputeContext()).train(
      &net, on: split, options: options, rng: rng
    ) { _ in
      calls += 1
      return calls == 3 ? .stop : .proceed
    }
    #expect(report.interrupted)
    #expect(calls == 3)
    #expect(report.epochs.count == 1 && report.epochs[0].images == 24)
  }

  @Test func divergenceLeavesWeightsAsBeforeTheStep() throws {
    var rng = SeededRNG(seed: 5)
    let labels = (0..<32).map { Int32($0 % 2) }
    let net = try ModelZoo.make(
      "lenet5", options: ModelOptions(inputChannels: 1, inputSize: 8 + 8, classes: 2), rng: &rng)
    let big = DataSplit(
      images: (0..<32 * 256).map { _ in rng.nextNormal() * 1e3 }, labels: labels, channels: 1,
      height: 16, width: 16)
    var options = TrainingOptions()
    options.epochs = 50
    options.batchSize = 8
    options.learningRate = 1e4
    options.schedule = .constant
    var current = net
    do {
      _ = try Trainer(context: try ComputeContext()).train(
        &current, on: big, options: options, rng: rng
      ) { _ in .proceed }
      Issue.record("training with lr 1e4 on inputs of scale 1e3 should diverge")
    } catch let error as NeuralNetError {
      guard case .divergence = error else {
        Issue.record("unexpected error \(error)")
        return
      }
      #expect(error.description.contains("lower the learning rate"))
    }
    // Every parameter is finite: the diverging step was not applied.
    for (path, t) in current.parameters {
      let finite = t.scalars.allSatisfy { $0.isFinite }
      #expect(finite, "\(path) holds non-finite values")
    }
  }
}
