import CommandLanguage
import Foundation
import NeuralNet
import Render
import TensorCore

extension CommandDefinition {
  /// `bench [m]`: a short in-process timing of training and inference steps.
  public static let bench = CommandDefinition(
    CommandSignature(
      name: "bench",
      parameters: [
        ParameterSpec(
          "model", .model, default: .optional,
          summary: "the model to time (default: a fresh vgg-small on 1×28×28)"),
        ParameterSpec(
          "batch", .number, .keyword, default: .value(.number(32)), range: .closed(1, 1024),
          integerOnly: true, summary: "images per step"),
        ParameterSpec(
          "steps", .number, .keyword, default: .value(.number(3)), range: .closed(1, 200),
          integerOnly: true, summary: "timed steps of each kind (after one warm-up step)"),
      ],
      result: .nothing,
      summary: "Time training and inference steps here (shears bench gives the full report).",
      example: "bench m batch=64 steps=5"),
    group: .inspection
  ) { arguments, context in
    var rng = context.rng.derived("bench")
    var network: Network
    if let model = try arguments.optional("model", as: ModelValue.self) {
      network = model.network
    } else {
      network = try ModelZoo.make(
        "vgg-small", options: ModelOptions(inputChannels: 1, inputSize: 28), rng: &rng)
    }
    let batch = try arguments.int("batch")
    let steps = try arguments.int("steps")
    let imageCount = batch * network.inputShape.reduce(1, *)
    let images = (0..<imageCount).map { _ in rng.nextNormal() }
    let labels = (0..<batch).map { _ in Int32(rng.nextInt(below: network.classes)) }
    var sgd = SGD()
    let compute = context.compute
    func seconds(_ body: () throws -> Void) rethrows -> Double {
      let start = MonotonicClock.seconds()
      try body()
      return MonotonicClock.seconds() - start
    }
    let trainTimes = try compute.perform { () throws -> [Double] in
      let executor = try Executor(network: network, batch: batch, training: true, context: compute)
      var times: [Double] = []
      for step in 0...steps {
        try context.checkInterrupt()
        let time = try seconds {
          let logits = try images.withUnsafeBufferPointer {
            try executor.forward(&network, images: $0)
          }
          let loss = try SoftmaxCrossEntropy.evaluate(logits: logits, labels: labels)
          try executor.backward(network, lossGradient: loss.gradient)
          sgd.step(&network, gradients: executor.parameterGradients, learningRate: 0.001)
        }
        if step > 0 { times.append(time) }
      }
      return times
    }
    let inferTimes = try compute.perform { () throws -> [Double] in
      let executor = try Executor(
        network: network, batch: batch, training: false, context: compute)
      var times: [Double] = []
      for step in 0...steps {
        try context.checkInterrupt()
        let time = try seconds {
          _ = try images.withUnsafeBufferPointer { try executor.forward(&network, images: $0) }
        }
        if step > 0 { times.append(time) }
      }
      return times
    }
    let train = trainTimes.sorted()[trainTimes.count / 2]
    let infer = inferTimes.sorted()[inferTimes.count / 2]
    let shape = network.inputShape.map(String.init).joined(separator: "×")
    var table = Table(
      title: "\(network.name) \(shape), batch \(batch), \(compute.threads) thread(s), "
        + "median of \(steps) step(s)",
      columns: [.text("step"), .numeric("ms"), .numeric("images/s")])
    table.addRow([
      "train", NumberFormat.fixed(train * 1000, decimals: 1),
      NumberFormat.fixed(Double(batch) / train, decimals: 0),
    ])
    table.addRow([
      "inference", NumberFormat.fixed(infer * 1000, decimals: 1),
      NumberFormat.fixed(Double(batch) / infer, decimals: 0),
    ])
    context.emit(.table(table))
    #if DEBUG
      context.emit(.text("(a debug build: run shears bench from a release build for real figures)"))
    #endif
    context.emit(.text("shears bench --json measures the zoo's networks and GEMM in full"))
    return nil
  }
}
