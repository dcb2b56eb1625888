import NeuralNet
import TensorCore
import Testing

@testable import Pruning

/// The fused inference executor (batch norm folded into convolutions, add and ReLU as post-ops)
/// on pruned networks: every zoo model pruned by surgery with a uniform plan gives the logits of
/// the unfused executor to 1e-5 of their scale; a masked network run through an executor built
/// for the unpruned one (as the masked evaluator does) gives those of a fresh executor.
@Suite struct FusedInferenceTests {
  static let cases: [(String, ModelOptions)] =
    [
      ("lenet5", ModelOptions(inputChannels: 1, inputSize: 20, classes: 10, widthMultiplier: 0.5)),
      (
        "vgg-small", ModelOptions(inputChannels: 1, inputSize: 12, classes: 3, widthMultiplier: 0.5)
      ),
      ("vgg16", ModelOptions(inputChannels: 3, inputSize: 8, classes: 4, widthMultiplier: 0.125)),
    ]
    + ["resnet20", "resnet32", "resnet56", "resnet110"].flatMap { name in
      ModelOptions.Shortcut.allCases.map { s in
        (
          name,
          ModelOptions(
            inputChannels: 3, inputSize: 8, classes: 5, widthMultiplier: 0.5, shortcut: s)
        )
      }
    }

  func network(_ name: String, _ options: ModelOptions) throws -> Network {
    var rng = SeededRNG(seed: 17)
    var net = try ModelZoo.make(name, options: options, rng: &rng)
    for node in net.nodes {
      guard case .batchNorm(let b) = node.operation else { continue }
      func vector(_ f: () -> Float) -> Tensor {
        Tensor(shape: [b.channels], scalars: (0..<b.channels).map { _ in f() })
      }
      net.parameters[node.name + ".weight"] = vector { 0.5 + 0.5 * rng.nextFloat() }
      net.parameters[node.name + ".bias"] = vector { 0.1 * rng.nextNormal() }
      net.buffers[node.name + ".running_mean"] = vector { 0.1 * rng.nextNormal() }
      net.buffers[node.name + ".running_var"] = vector { 0.8 + 0.7 * rng.nextFloat() }
    }
    return net
  }

  func forward(_ ex: Executor, _ net: Network, _ x: [Float]) throws -> [Float] {
    var n = net
    return try x.withUnsafeBufferPointer { try ex.forward(&n, images: $0) }.scalars
  }

  func relativeError(_ a: [Float], _ b: [Float]) -> Double {
    let diff = zip(a, b).map { Double(abs($0 - $1)) }.max() ?? 0
    return diff / max(b.map { Double(abs($0)) }.max() ?? 0, 1e-30)
  }

  @Test(arguments: cases.indices) func prunedFusedMatchesUnfused(_ k: Int) throws {
    let (name, options) = Self.cases[k]
    let net = try network(name, options)
    let ctx = try ComputeContext(threads: 1)
    let input = ScoringInput(network: net, data: nil, context: ctx, rng: SeededRNG(seed: 4))
    let l1 = try CriterionRegistry.standard.criterion(named: "l1").score(input)
    let plan = try Planner(network: net).plan(scores: l1, ratio: 0.5)
    let pruned = try Surgery.prune(net, with: plan)
    let masked = try Surgery.mask(net, with: plan)
    #expect(pruned.parameterCount < net.parameterCount)
    let batch = 2
    var rng = SeededRNG(seed: 23)
    let x = (0..<batch * net.inputShape.reduce(1, *)).map { _ in rng.nextNormal() }
    let r = try ctx.perform {
      func executor(_ n: Network, fuse: Bool) throws -> Executor {
        try Executor(network: n, batch: batch, training: false, context: ctx, fuse: fuse)
      }
      // The masked variant also goes through one fused executor built for the unpruned net.
      let reused = try executor(net, fuse: true)
      return (
        plain: try forward(executor(pruned, fuse: false), pruned, x),
        fused: try forward(executor(pruned, fuse: true), pruned, x),
        full: try forward(reused, net, x),
        maskedReused: try forward(reused, masked, x),
        maskedFresh: try forward(executor(masked, fuse: false), masked, x)
      )
    }
    let label = "\(name) \(options.shortcut)"
    #expect(relativeError(r.fused, r.plain) <= 1e-5, "\(label) pruned")
    #expect(r.plain.contains { $0 != 0 })
    #expect(relativeError(r.maskedReused, r.maskedFresh) <= 1e-5, "\(label) masked")
    #expect(relativeError(r.maskedReused, r.plain) <= 1e-4, "\(label) masked vs pruned")
    #expect(relativeError(r.full, r.maskedReused) > 1e-3, "\(label): the plan changed nothing")
  }
}
