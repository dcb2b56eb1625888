import Datasets
import Foundation
import NeuralNet
import TensorCore
import Testing

@testable import Pruning

@Suite("Feature relevance (LRP α=2, β=1)")
struct FeatureRelevanceTests {
  let lrp = try! RelevancePropagation(
    network: try! CriteriaFixtures.fourFilterNet(), criterion: "frs")

  @Test func twoNeuronExampleByHand() {
    // x = [1, 2], W = [[2, −1], [1, 1]], R = [1, 0]: z⁺₀ = 2, z⁻₀ = −2,
    // R₀ = 1·(2·2·1/2) = 2, R₁ = 2·(−1·(−1)·1/(−2)) = −1; the sum 1 is conserved.
    let r = lrp.linearRule(
      x: [1, 2], w: [2, -1, 1, 1], r: [1, 0], spec: LinearSpec(inFeatures: 2, outFeatures: 2),
      batch: 1)
    #expect(close(r, [2, -1], tol: 1e-8))
  }

  @Test func convRuleConservesRelevance() {
    // Positive inputs and filters with both signs: every output has z⁺ > 0 > z⁻, so
    // Σ R_in = (α − β) Σ R_out up to ε terms.
    var rng = SeededRNG(seed: 4)
    for stride in [1, 2] {
      let spec = ConvSpec(inChannels: 2, outChannels: 3, kernel: 3, stride: stride)
      let x = (0..<(2 * 2 * 25)).map { _ in 0.1 + rng.nextFloat() }
      let w = (0..<(3 * 2 * 9)).map { i in (i % 2 == 0 ? 1 : -1) * (0.1 + rng.nextFloat()) }
      let out = (5 - 3) / stride + 1
      let r = (0..<(2 * 3 * out * out)).map { _ in rng.nextDouble() }
      let rin = lrp.convRule(
        x: x, w: w, r: r, spec: spec, batch: 2, inShape: [2, 5, 5], outShape: [3, out, out])
      for s in 0..<2 {
        let sumIn = rin[(s * 50)..<((s + 1) * 50)].reduce(0, +)
        let n = 3 * out * out
        let sumOut = r[(s * n)..<((s + 1) * n)].reduce(0, +)
        #expect(abs(sumIn - sumOut) < 1e-6 * sumOut, "stride \(stride)")
      }
    }
  }

  /// The oneDNN path of the conv rule against the plain-loop reference, on odd shapes, stride 1
  /// and 2, padding 0 and 1, narrow (padded) and wide inputs.
  @Test func fastConvRuleMatchesLoops() throws {
    var rng = SeededRNG(seed: 12)
    let context = try ComputeContext(threads: 1)
    for (ci, co, stride, padding) in [(2, 3, 1, 0), (5, 4, 2, 1), (17, 6, 1, 1)] {
      let spec = ConvSpec(
        inChannels: ci, outChannels: co, kernel: 3, stride: stride, padding: padding)
      let (h, w) = (7, 5)
      let oh = (h + 2 * padding - 3) / stride + 1
      let ow = (w + 2 * padding - 3) / stride + 1
      let x = (0..<(2 * ci * h * w)).map { _ in 0.1 + rng.nextFloat() }
      let weights = (0..<(co * ci * 9)).map { _ in rng.nextNormal() }
      let r = (0..<(2 * co * oh * ow)).map { _ in rng.nextDouble() }
      let slow = lrp.convRule(
        x: x, w: weights, r: r, spec: spec, batch: 2, inShape: [ci, h, w],
        outShape: [co, oh, ow])
      let fast = try lrp.fastConvRule(
        x: x, w: weights, r: r, spec: spec, batch: 2, inShape: [ci, h, w], context: context)
      let scale = slow.map(abs).max() ?? 1
      let worst = zip(slow, fast).map { abs($0 - $1) }.max() ?? 0
      #expect(worst <= 1e-4 * scale, "ci \(ci) stride \(stride): worst \(worst) of \(scale)")
    }
  }

  @Test func convRuleEqualsLinearRuleOnOnePixel() {
    var rng = SeededRNG(seed: 6)
    let x = (0..<4).map { _ in rng.nextFloat() }
    let w = (0..<12).map { _ in rng.nextFloat() - 0.5 }
    let r = (0..<3).map { _ in rng.nextDouble() }
    let conv = lrp.convRule(
      x: x, w: w, r: r, spec: ConvSpec(inChannels: 4, outChannels: 3, kernel: 1), batch: 1,
      inShape: [4, 1, 1], outShape: [3, 1, 1])
    let linear = lrp.linearRule(
      x: x, w: w, r: r, spec: LinearSpec(inFeatures: 4, outFeatures: 3), batch: 1)
    #expect(close(conv, linear, tol: 1e-12))
  }

  @Test func poolsAndShortcutRedistribute() {
    let x: [Float] = [1, 3, 2, 2]  // one 2×2 plane
    let avg = lrp.avgPoolRule(
      x: x, r: [4], pool: PoolSpec(kernel: 2), batch: 1, inShape: [1, 2, 2],
      outShape: [1, 1, 1])
    #expect(close(avg, [0.5, 1.5, 1, 1], tol: 1e-8))  // 4 · x / Σx
    let global = lrp.globalPoolRule(x: x, r: [4], batch: 1, inShape: [1, 2, 2])
    #expect(close(global, avg, tol: 1e-12))
    let max = lrp.maxPoolRule(
      x: x, r: [4], pool: PoolSpec(kernel: 2), batch: 1, inShape: [1, 2, 2], outShape: [1, 1, 1])
    #expect(max == [0, 4, 0, 0])
    // Option A, 1 → 3 channels, stride 2: channel 0 lands on output channel 1.
    let short = lrp.shortcutRule(
      r: [9, 9, 5, 6, 9, 9], spec: ShortcutPadSpec(inChannels: 1, outChannels: 3, stride: 2),
      batch: 1, inShape: [1, 2, 4], outShape: [3, 1, 2])
    #expect(short == [5, 0, 6, 0, 0, 0, 0, 0])
  }

  @Test func graphPropagationByHand() throws {
    // input [1,2,2] → c1 (1×1, weights [1, 2]) → r1 → c2 (1×1 identity) → add(c2, r1) → relu2
    // → maxpool 2 → flatten → fc (identity, bias 0). Image [[1,2],[3,4]], label 0.
    var b = NetworkBuilder(inputShape: [1, 2, 2], rng: SeededRNG(seed: 1))
    try b.add("c1", .conv(ConvSpec(inChannels: 1, outChannels: 2, kernel: 1)))
    try b.add("r1", .relu)
    try b.add("c2", .conv(ConvSpec(inChannels: 2, outChannels: 2, kernel: 1)))
    try b.add("add", .add, inputs: ["c2", "r1"])
    try b.add("relu2", .relu)
    try b.add("pool", .maxPool(PoolSpec(kernel: 2)))
    try b.add("flatten", .flatten)
    try b.add("fc", .linear(LinearSpec(inFeatures: 2, outFeatures: 2)))
    var net = try b.build(name: "hand", classes: 2)
    net.parameters["c1.weight"] = Tensor(shape: [2, 1, 1, 1], scalars: [1, 2])
    net.parameters["c2.weight"] = Tensor(shape: [2, 2, 1, 1], scalars: [1, 0, 0, 1])
    net.parameters["fc.weight"] = Tensor(shape: [2, 2], scalars: [1, 0, 0, 1])
    net.parameters["fc.bias"] = Tensor(shape: [2], scalars: [0, 0])
    let acts: [String: [Float]] = [
      "r1": [1, 2, 3, 4, 2, 4, 6, 8], "c2": [1, 2, 3, 4, 2, 4, 6, 8],
      "relu2": [2, 4, 6, 8, 4, 8, 12, 16], "flatten": [8, 16],
    ]
    // fc: only positive weights, so output 0 sends α·R = 2 to its input (8). The max pool gives
    // it to relu2 at (1,1); the add splits it 4:4 → 1 to c2, 1 to r1; c2 (identity, positive)
    // sends α·1 = 2 to r1. So r1 holds 3 at channel 0, (1,1), relu2 holds 2 there.
    let prop = try RelevancePropagation(network: net, criterion: "frs")
    let r = try prop.propagate(batch: 1, outputRelevance: [1, 0], keep: ["r1", "relu2"]) {
      acts[$0]!
    }
    #expect(close(r["r1"]!, [0, 0, 0, 3, 0, 0, 0, 0], tol: 1e-8))
    #expect(close(r["relu2"]!, [0, 0, 0, 2, 0, 0, 0, 0], tol: 1e-8))

    // End to end, the criterion finds the positions r1 (c1) and relu2 (c2, after the add):
    // per-channel means [0.75, 0] and [0.5, 0], L2-normalised.
    let data = DataSplit(images: [1, 2, 3, 4], labels: [0], channels: 1, height: 2, width: 2)
    let s = try FeatureRelevanceCriterion().score(
      CriteriaFixtures.input(net, data: data, batches: 1, batchSize: 1))
    #expect(close(s["c1"]!, [1, 0], tol: 1e-8))
    #expect(close(s["c2"]!, [1, 0], tol: 1e-8))
  }

  @Test func twoNeuronNetworkEndToEnd() throws {
    // input [2,1,1] → c1 (1×1, rows [1,0], [0,1], [0,0]) → relu1 → flatten → fc
    // (W = [[2, −1, 0.5], [1, 1, 1]], bias 0). Image [1, 2], label 0: activations [1, 2, 0],
    // relevance [2, −1, 0] (as in the two-neuron example; x₂ = 0 gets none). Logits [0, 3]:
    // class 0 is misclassified, a₀ = 0, w₀ = 1. FRS = |[2, −1, 0]| / √5.
    var b = NetworkBuilder(inputShape: [2, 1, 1], rng: SeededRNG(seed: 1))
    try b.add("c1", .conv(ConvSpec(inChannels: 2, outChannels: 3, kernel: 1)))
    try b.add("relu1", .relu)
    try b.add("flatten", .flatten)
    try b.add("fc", .linear(LinearSpec(inFeatures: 3, outFeatures: 2)))
    var net = try b.build(name: "two", classes: 2)
    net.parameters["c1.weight"] = Tensor(shape: [3, 2, 1, 1], scalars: [1, 0, 0, 1, 0, 0])
    net.parameters["fc.weight"] = Tensor(shape: [2, 3], scalars: [2, -1, 0.5, 1, 1, 1])
    net.parameters["fc.bias"] = Tensor(shape: [2], scalars: [0, 0])
    let data = DataSplit(images: [1, 2], labels: [0], channels: 2, height: 1, width: 1)
    let s = try FeatureRelevanceCriterion().score(
      CriteriaFixtures.input(net, data: data, batches: 1, batchSize: 1))["c1"]!
    let r5 = Double(5).squareRoot()
    #expect(close(s, [2 / r5, 1 / r5, 0], tol: 1e-7))
    #expect(CriteriaFixtures.argmin(s) == 2)
  }

  @Test func classWeightsFollowPerClassAccuracy() throws {
    let net = try CriteriaFixtures.fourFilterNet()
    let acc = try FeatureRelevanceAccumulator(
      criterion: "frs", network: net, layers: ["c1"], positions: ["c1": "relu1"], alpha: 2,
      classWeighted: true)
    acc.counts = [4, 2]
    acc.correct = [2, 2]  // accuracies 0.5 and 1 → a = [0.5, 1]
    let w = acc.classWeights()
    #expect(abs(w[0] - 1 / (1 + exp(-2.0))) < 1e-12)
    #expect(abs(w[1] - 1 / (1 + exp(-1.0))) < 1e-12)
  }

  @Test func resnetScoresAreFiniteAndNormalised() throws {
    for shortcut in [ModelOptions.Shortcut.a, .b] {
      let net = try CriteriaFixtures.tinyResNet(shortcut: shortcut)
      let data = CriteriaFixtures.noise(count: 4, shape: [1, 8, 8], classes: 3, seed: 2)
      // Direct convolutions: in this fixture the classes' signed relevances of some layers
      // cancel exactly; under Winograd's rounding they leave about 1e-9, which the 1e-9 guard
      // of the normalisation turns into a norm between 0 and 1 (checked below).
      let direct = try ComputeContext(threads: 1, convolution: .direct)
      let s = try FeatureRelevanceCriterion().score(
        ScoringInput(
          network: net, data: data, batches: 1, batchSize: 4, context: direct,
          rng: SeededRNG(seed: 7)))
      #expect(s.layers.count == (shortcut == .a ? 19 : 21))
      let winograd = try FeatureRelevanceCriterion().score(
        CriteriaFixtures.input(net, data: data, batches: 1, batchSize: 4))
      for layer in s.layers {
        let v = s[layer]!
        #expect(v.allSatisfy { $0.isFinite && $0 >= 0 }, "\(layer)")
        let norm = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
        #expect(norm < 1e-9 || abs(norm - 1) < 1e-6, "\(layer)")
        let w = winograd[layer]!
        let wNorm = w.reduce(0) { $0 + $1 * $1 }.squareRoot()
        #expect(wNorm <= 1 + 1e-9, "\(layer)")
        if norm > 0.5 { #expect(abs(wNorm - 1) < 1e-5, "\(layer)") }
      }
      // A block's second conv and its shortcut conv share the block output's relevance.
      if shortcut == .b {
        #expect(s["layer2.0.conv2"] == s["layer2.0.shortcut.conv"])
      }
    }
  }
}
