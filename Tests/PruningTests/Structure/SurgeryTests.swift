import NeuralNet
import Pruning
import TensorCore
import Testing

/// "The physically pruned network gives the same outputs as the masked one", and FLOPs/params
/// after pruning against an independent count.
@Suite struct SurgeryTests {
  /// A network with non-trivial batch-norm parameters (γ, β drawn at random) and running
  /// statistics gathered from 30 training-mode passes over random images, so that activations
  /// keep a sane scale through 56 layers and masking is really tested.
  func trainedLooking(_ name: String, _ options: ModelOptions, seed: UInt64) throws -> Network {
    var rng = SeededRNG(seed: seed)
    var net = try ModelZoo.make(name, options: options, rng: &rng)
    for path in net.parameterPaths where path.contains("bn") {
      let shape = net.parameters[path]!.shape
      let values = (0..<shape[0]).map { _ in
        path.hasSuffix("weight") ? 0.5 + rng.nextFloat() : rng.nextNormal() * 0.2
      }
      net.parameters[path] = Tensor(shape: shape, scalars: values)
    }
    let ctx = try ComputeContext(threads: 1)
    let batch = 8
    let size = net.inputShape.reduce(1, *)
    try ctx.perform {
      let ex = try Executor(network: net, batch: batch, training: true, context: ctx)
      for _ in 0..<30 {
        let images = (0..<batch * size).map { _ in rng.nextNormal() }
        _ = try images.withUnsafeBufferPointer { try ex.forward(&net, images: $0) }
      }
    }
    return net
  }

  func logits(_ net: Network, _ images: [Float], batch: Int, _ ctx: ComputeContext) throws
    -> [Float]
  {
    try ctx.perform {
      var n = net
      let ex = try Executor(network: n, batch: batch, training: false, context: ctx)
      return try images.withUnsafeBufferPointer { try ex.forward(&n, images: $0) }.scalars
    }
  }

  func checkEquivalence(_ net: Network, _ plan: PruningPlan, _ ctx: ComputeContext) throws {
    let pruned = try Surgery.prune(net, with: plan)
    let masked = try Surgery.mask(net, with: plan)
    var rng = SeededRNG(seed: 99)
    let batch = 3
    let images = (0..<batch * net.inputShape.reduce(1, *)).map { _ in rng.nextNormal() }
    let a = try logits(pruned, images, batch: batch, ctx)
    let b = try logits(masked, images, batch: batch, ctx)
    let maxDiff = zip(a, b).map { abs($0 - $1) }.max() ?? 0
    #expect(
      maxDiff <= 1e-4,
      "\(plan.strategy.name)/\(plan.selection.rawValue): max |pruned − masked| = \(maxDiff)")
    #expect(pruned.parameterCount < net.parameterCount)
    // The unpruned and masked outputs differ: the plan did something.
    let full = try logits(net, images, batch: batch, ctx)
    #expect(zip(full, b).contains { abs($0 - $1) > 1e-3 })
  }

  func plans(for net: Network) throws -> [PruningPlan] {
    let ctx = try ComputeContext(threads: 1)
    let input = ScoringInput(network: net, data: nil, context: ctx, rng: SeededRNG(seed: 4))
    let l1 = try CriterionRegistry.standard.criterion(named: "l1").score(input)
    let l2 = try CriterionRegistry.standard.criterion(named: "l2").score(input)
    let planner = try Planner(network: net)
    return [
      try planner.plan(scores: l1, ratio: 0.5),
      try planner.plan(
        scores: l2, ratio: 0.3, options: PlanOptions(allocation: .global(normalization: .l2))),
      try planner.plan(
        scores: l1, ratio: 0.4, options: PlanOptions(selection: .rnf), rng: SeededRNG(seed: 8)),
      try planner.plan(scores: l1, ratio: 0.5, options: PlanOptions(allocation: .clr(lambda: nil))),
    ]
  }

  @Test func resnet56PrunedEqualsMasked() throws {
    let net = try trainedLooking(
      "resnet56", ModelOptions(inputSize: 8, widthMultiplier: 0.5), seed: 5)
    let ctx = try ComputeContext(threads: 1)
    for plan in try plans(for: net) { try checkEquivalence(net, plan, ctx) }
  }

  @Test func resnet56OptionBPrunedEqualsMasked() throws {
    let net = try trainedLooking(
      "resnet56", ModelOptions(inputSize: 8, widthMultiplier: 0.5, shortcut: .b), seed: 6)
    let ctx = try ComputeContext(threads: 1)
    for plan in try plans(for: net).prefix(2) { try checkEquivalence(net, plan, ctx) }
  }

  @Test func vgg16PrunedEqualsMasked() throws {
    let net = try trainedLooking(
      "vgg16", ModelOptions(inputSize: 32, widthMultiplier: 0.25), seed: 7)
    let ctx = try ComputeContext(threads: 1)
    for plan in try plans(for: net) { try checkEquivalence(net, plan, ctx) }
  }

  @Test func lenetPrunedEqualsMasked() throws {
    let net = try trainedLooking("lenet5", ModelOptions(inputChannels: 1, inputSize: 28), seed: 9)
    let ctx = try ComputeContext(threads: 1)
    for plan in try plans(for: net).prefix(3) { try checkEquivalence(net, plan, ctx) }
  }

  /// FLOPs and params of a VGG-16 pruned uniformly, against a count written out by hand from the
  /// kept channel numbers (3×3 convs, padding 1, 2×2 pools, one linear layer).
  @Test func vgg16CountsAfterPruning() throws {
    let net = try trainedLooking(
      "vgg16", ModelOptions(inputSize: 32, widthMultiplier: 0.25), seed: 10)
    let ctx = try ComputeContext(threads: 1)
    let input = ScoringInput(network: net, data: nil, context: ctx, rng: SeededRNG(seed: 4))
    let l1 = try CriterionRegistry.standard.criterion(named: "l1").score(input)
    let plan = try Planner(network: net).plan(scores: l1, ratio: 0.5)
    let pruned = try Surgery.prune(net, with: plan)
    let widths = [16, 16, 0, 32, 32, 0, 64, 64, 64, 0, 128, 128, 128, 0, 128, 128, 128, 0]
    var macs = 0
    var params = 0
    var size = 32
    var cin = 3
    for w in widths {
      if w == 0 {
        size /= 2
        continue
      }
      let kept = w - Int((0.5 * Double(w)).rounded())
      macs += 9 * cin * kept * size * size
      params += 9 * cin * kept + 2 * kept  // conv weights + BN γ, β
      cin = kept
    }
    macs += cin * 10
    params += cin * 10 + 10
    #expect(pruned.macs == macs)
    #expect(pruned.parameterCount == params)
  }

  /// ResNet-56 (option A) pruned only inside blocks: every conv1 keeps `k` of `w` channels, so
  /// conv1 costs `9·w·k·s²` and conv2 `9·k·w·s²`; the streams keep their widths.
  @Test func resnet56CountsAfterBlockInternalPruning() throws {
    let net = try trainedLooking("resnet56", ModelOptions(inputSize: 32), seed: 11)
    let ctx = try ComputeContext(threads: 1)
    let input = ScoringInput(network: net, data: nil, context: ctx, rng: SeededRNG(seed: 4))
    let l1 = try CriterionRegistry.standard.criterion(named: "l1").score(input)
    let plan = try Planner(network: net).plan(
      scores: l1, ratio: 0.5, options: PlanOptions(includeResidualStreams: false))
    let pruned = try Surgery.prune(net, with: plan)
    var macs = 9 * 3 * 16 * 32 * 32
    var params = 9 * 3 * 16 + 2 * 16
    var cin = 16
    for (w, s) in [(16, 32), (32, 16), (64, 8)] {
      for b in 0..<9 {
        let k = w / 2
        let inSize = (b == 0 && w != 16) ? s * 2 : s
        _ = inSize
        macs += 9 * cin * k * s * s + 9 * k * w * s * s
        params += 9 * cin * k + 2 * k + 9 * k * w + 2 * w
        cin = w
      }
    }
    macs += 64 * 10
    params += 64 * 10 + 10
    #expect(pruned.macs == macs)
    #expect(pruned.parameterCount == params)
  }
}
