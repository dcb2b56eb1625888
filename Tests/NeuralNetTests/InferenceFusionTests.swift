import TensorCore
import Testing

@testable import NeuralNet

/// The fused inference graph (batch norm folded into convolutions, add and ReLU as post-ops)
/// against the unfused executor, node by node as before: same logits to 1e-5 of their scale.
@Suite struct InferenceFusionTests {
  /// `name` with random batch-norm γ, β and running statistics, so that folding really scales
  /// and shifts every channel.
  static func network(_ name: String, _ options: ModelOptions, seed: UInt64 = 3) throws -> Network {
    var rng = SeededRNG(seed: seed)
    var net = try ModelZoo.make(name, options: options, rng: &rng)
    randomizeBatchNorm(&net, &rng)
    return net
  }

  static func randomizeBatchNorm(_ net: inout Network, _ rng: inout SeededRNG) {
    for node in net.nodes {
      guard case .batchNorm(let b) = node.operation else { continue }
      let c = b.channels
      func vector(_ f: () -> Float) -> Tensor {
        Tensor(shape: [c], scalars: (0..<c).map { _ in f() })
      }
      net.parameters[node.name + ".weight"] = vector { 0.5 + 0.5 * rng.nextFloat() }
      net.parameters[node.name + ".bias"] = vector { 0.1 * rng.nextNormal() }
      net.buffers[node.name + ".running_mean"] = vector { 0.1 * rng.nextNormal() }
      net.buffers[node.name + ".running_var"] = vector { 0.8 + 0.7 * rng.nextFloat() }
    }
  }

  static func images(_ net: Network, batch: Int, seed: UInt64 = 5) -> [Float] {
    var rng = SeededRNG(seed: seed)
    return (0..<batch * net.inputShape.reduce(1, *)).map { _ in rng.nextNormal() }
  }

  /// Logits of `net` from an inference executor, fused or not.
  static func logits(_ net: Network, _ x: [Float], batch: Int, fuse: Bool, _ ctx: ComputeContext)
    throws -> [Float]
  {
    try ctx.perform {
      var n = net
      let ex = try Executor(network: n, batch: batch, training: false, context: ctx, fuse: fuse)
      return try x.withUnsafeBufferPointer { try ex.forward(&n, images: $0) }.scalars
    }
  }

  /// max |a − b| / max |b|.
  static func relativeError(_ a: [Float], _ b: [Float]) -> Double {
    let diff = zip(a, b).map { Double(abs($0 - $1)) }.max() ?? 0
    let scale = b.map { Double(abs($0)) }.max() ?? 0
    return diff / max(scale, 1e-30)
  }

  static let cases: [(String, ModelOptions)] =
    [
      ("lenet5", ModelOptions(inputChannels: 1, inputSize: 20, classes: 10, widthMultiplier: 0.5)),
      (
        "vgg-small",
        ModelOptions(inputChannels: 1, inputSize: 12, classes: 3, widthMultiplier: 0.25)
      ),
      ("vgg-small", ModelOptions(inputChannels: 3, inputSize: 8, classes: 5, widthMultiplier: 1)),
      ("vgg16", ModelOptions(inputChannels: 3, inputSize: 8, classes: 4, widthMultiplier: 0.0625)),
      ("resnet20", ModelOptions(inputChannels: 3, inputSize: 8, classes: 5, widthMultiplier: 1)),
      (
        "resnet20",
        ModelOptions(inputChannels: 3, inputSize: 8, classes: 5, widthMultiplier: 1, shortcut: .b)
      ),
    ]
    + ["resnet20", "resnet32", "resnet56", "resnet110"].flatMap { name in
      ModelOptions.Shortcut.allCases.map { s in
        (
          name,
          ModelOptions(
            inputChannels: 3, inputSize: 8, classes: 5, widthMultiplier: 0.25, shortcut: s)
        )
      }
    }

  @Test(arguments: cases.indices) func fusedMatchesUnfused(_ k: Int) throws {
    let (name, options) = Self.cases[k]
    let ctx = try ComputeContext(threads: 1)
    let net = try Self.network(name, options)
    let batch = 2
    let x = Self.images(net, batch: batch)
    let fused = try Self.logits(net, x, batch: batch, fuse: true, ctx)
    let plain = try Self.logits(net, x, batch: batch, fuse: false, ctx)
    let err = Self.relativeError(fused, plain)
    #expect(err <= 1e-5, "\(name) \(options.widthMultiplier) \(options.shortcut): \(err)")
    #expect(plain.contains { $0 != 0 })
  }

  /// Which nodes fuse in a ResNet block: conv+bn+relu, and conv+bn+add+relu in place on the
  /// shortcut (identity, option-A pad or option-B projection alike).
  @Test func resnetChains() throws {
    for s in ModelOptions.Shortcut.allCases {
      let net = try Self.network(
        "resnet20", ModelOptions(inputSize: 8, widthMultiplier: 0.25, shortcut: s))
      let fusion = InferenceFusion(network: net)
      let names = fusion.groups.map { g in g.members.map { net.nodes[$0].name } }
      #expect(names.contains(["conv1", "bn1", "relu1"]))
      #expect(names.contains(["layer1.0.conv1", "layer1.0.bn1", "layer1.0.relu1"]))
      #expect(names.contains(["layer1.0.conv2", "layer1.0.bn2", "layer1.0.add", "layer1.0.relu2"]))
      #expect(names.contains(["layer2.0.conv2", "layer2.0.bn2", "layer2.0.add", "layer2.0.relu2"]))
      // Every convolution heads a chain; every add-chain writes into its shortcut's buffer.
      #expect(fusion.groups.count == net.nodes.filter { $0.operation.kindName == "conv" }.count)
      #expect(fusion.groups.filter { $0.add != nil }.allSatisfy { $0.inPlace })
      #expect(fusion.groups.filter { $0.add != nil }.count == 9)
    }
  }

  /// A block input read again after the add (here by a later add) must not be overwritten by
  /// the first add; the last reader may write in place.
  @Test func addendStillNeededIsCopied() throws {
    var b = NetworkBuilder(inputShape: [3, 6, 6], rng: SeededRNG(seed: 1))
    try b.add("stem", .conv(ConvSpec(inChannels: 3, outChannels: 16, kernel: 3, padding: 1)))
    try b.add("stem.relu", .relu)
    try b.add("c1", .conv(ConvSpec(inChannels: 16, outChannels: 16, kernel: 3, padding: 1)))
    try b.add("bn1", .batchNorm(BatchNormSpec(channels: 16)))
    try b.add("add1", .add, inputs: ["bn1", "stem.relu"])
    try b.add("c2", .conv(ConvSpec(inChannels: 16, outChannels: 16, kernel: 1)), inputs: ["add1"])
    try b.add("add2", .add, inputs: ["c2", "stem.relu"])
    try b.add("pool", .globalAvgPool)
    try b.add("flatten", .flatten)
    try b.add("fc", .linear(LinearSpec(inFeatures: 16, outFeatures: 3)))
    var net = try b.build(name: "twice", classes: 3)
    var rng = SeededRNG(seed: 2)
    Self.randomizeBatchNorm(&net, &rng)
    let fusion = InferenceFusion(network: net)
    let chains = fusion.groups.filter { $0.add != nil }
    #expect(chains.map(\.inPlace) == [false, true])
    let ctx = try ComputeContext(threads: 1)
    let x = Self.images(net, batch: 2)
    let fused = try Self.logits(net, x, batch: 2, fuse: true, ctx)
    let plain = try Self.logits(net, x, batch: 2, fuse: false, ctx)
    #expect(Self.relativeError(fused, plain) <= 1e-5)
  }

  /// The fold is made once per weight version: a second forward reuses it; training, a
  /// recalibrated batch norm and weights overwritten in place each refold, and the logits then
  /// match a fresh unfused executor's. (Expectations are checked off the compute thread, where
  /// Swift Testing attributes them to the test.)
  @Test func foldCacheFollowsTheWeights() throws {
    let ctx = try ComputeContext(threads: 1)
    var net = try Self.network(
      "resnet20", ModelOptions(inputSize: 8, classes: 4, widthMultiplier: 0.25, shortcut: .b))
    let batch = 2
    let x = Self.images(net, batch: batch)
    let chains = InferenceFusion(network: net).groups.count
    /// Logits of the cached executor, its fold count, and a fresh unfused executor's logits.
    var runs: [(logits: [Float], folds: Int, reference: [Float])] = []
    try ctx.perform {
      let ex = try Executor(network: net, batch: batch, training: false, context: ctx)
      func run() throws {
        let logits = try x.withUnsafeBufferPointer { try ex.forward(&net, images: $0) }.scalars
        let reference = try Self.logits(net, x, batch: batch, fuse: false, ctx)
        runs.append((logits, ex.foldCount, reference))
      }
      try run()
      try run()
      // One SGD step.
      let trainer = try Executor(network: net, batch: batch, training: true, context: ctx)
      let logits = try x.withUnsafeBufferPointer { try trainer.forward(&net, images: $0) }
      let ce = try SoftmaxCrossEntropy.evaluate(logits: logits, labels: [0, 3])
      try trainer.backward(net, lossGradient: ce.gradient)
      var sgd = SGD()
      sgd.step(&net, gradients: trainer.parameterGradients, learningRate: 0.1)
      try run()
      // Running statistics alone (a recalibration) refold the one chain they belong to.
      var mean = net.buffers["layer3.2.bn2.running_mean"]!
      mean.withUnsafeMutableBufferPointer { $0[0] += 1 }
      net.buffers["layer3.2.bn2.running_mean"] = mean
      try run()
      // A weight overwritten in place, through the same storage.
      net.parameters["layer1.1.conv1.weight"]!.withUnsafeMutableBufferPointer { $0[3] *= -2 }
      try run()
    }
    try #require(runs.count == 5)
    #expect(runs.map(\.folds) == [chains, chains, 2 * chains, 2 * chains + 1, 2 * chains + 2])
    #expect(runs[1].logits == runs[0].logits)
    for k in 2..<5 { #expect(runs[k].logits != runs[k - 1].logits, "run \(k)") }
    for (k, r) in runs.enumerated() {
      #expect(Self.relativeError(r.logits, r.reference) <= 1e-5, "run \(k)")
    }
  }

  /// Chain ends can be read; nodes inside a chain say how to read them.
  @Test func activationsInsideChains() throws {
    let ctx = try ComputeContext(threads: 1)
    var net = try Self.network("resnet20", ModelOptions(inputSize: 8, widthMultiplier: 0.25))
    let x = Self.images(net, batch: 1)
    let (fused, plain) = try ctx.perform {
      let fused = try Executor(network: net, batch: 1, training: false, context: ctx)
      let plain = try Executor(network: net, batch: 1, training: false, context: ctx, fuse: false)
      _ = try x.withUnsafeBufferPointer { try fused.forward(&net, images: $0) }
      _ = try x.withUnsafeBufferPointer { try plain.forward(&net, images: $0) }
      return (fused, plain)
    }
    func read(_ ex: Executor, _ name: String) throws -> [Float] {
      try ctx.perform { try ex.activation(name).scalars }
    }
    let a = try read(fused, "layer3.2.relu2")
    #expect(Self.relativeError(a, try read(plain, "layer3.2.relu2")) <= 1e-5)
    #expect(throws: NeuralNetError.self) { try read(fused, "layer1.0.bn1") }
    // The stem's output was overwritten by the first block's in-place add.
    #expect(throws: NeuralNetError.self) { try read(fused, "relu1") }
    #expect(try read(plain, "layer1.0.bn1").count > 0)
  }
}
