import Benchmarking
import CommandLanguage
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
    let network: Network
    if let model = try arguments.optional("model", as: ModelValue.self) {
      network = model.network
    } else {
      network = try ModelZoo.make(
        "vgg-small", options: ModelOptions(inputChannels: 1, inputSize: 28), rng: &rng)
    }
    let batch = try arguments.int("batch")
    let steps = try arguments.int("steps")
    let data = SyntheticBatch(network: network, batch: batch, rng: &rng)
    let compute = context.compute
    let result = try StepBenchmark(steps: steps, warmup: 1, learningRate: 0.001).run(
      network, on: data, context: compute, beforeEachStep: { try context.checkInterrupt() })
    let (train, infer) = (result.trainSeconds, result.inferenceSeconds)
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
