import Foundation
import NeuralNet
import TensorCore
import Testing

@testable import Pruning

@Suite("CLR computation factors and weight importance")
struct CLRCriterionTests {
  @Test func factorTableOfATinyResNetByHand() throws {
    // resnet20 at widths 4/8/16 on 1×8×8 images, option A. FLOPs by hand:
    // stem 1→4 @8×8: 64·4·1·9 = 2304 MACs + 4·(4·64) = 1024           → 3328 (merged into block 1)
    // stage 1 block (4→4 @8×8): 2·(64·4·4·9) = 18432 + 8·(4·64) = 2048  → 20480
    // stage 2 first (4→8 s2 @4×4): 16·8·4·9 = 4608 + 16·8·8·9 = 9216 + 8·(8·16) = 1024 → 14848
    // stage 2 other: 2·9216 + 1024                                         → 19456
    // stage 3 first (8→16 s2 @2×2): 4·16·8·9 = 4608 + 4·16·16·9 = 9216 + 8·(16·4) = 512 → 14336
    // stage 3 other: 2·9216 + 512                                          → 18944
    let net = try CriteriaFixtures.tinyResNet()
    let f = try ComputationFactors(network: net)
    let block1 = 3328.0 + 20480
    let expected: [String: Double] = [
      "conv1": 1, "layer1.0.conv1": 1, "layer1.0.conv2": 1,
      "layer1.1.conv1": 20480 / block1, "layer1.2.conv2": 20480 / block1,
      "layer2.0.conv1": 14848 / block1, "layer2.0.conv2": 14848 / block1,
      "layer2.1.conv1": 19456 / block1, "layer2.2.conv1": 19456 / block1,
      "layer3.0.conv1": 14336 / block1, "layer3.1.conv2": 18944 / block1,
      "layer3.2.conv1": 18944 / block1,
    ]
    for (layer, value) in expected {
      #expect(abs(f.factors[layer]! - value) < 1e-12, "\(layer)")
    }
    #expect(f.factors.count == 19)
    #expect(f.units["layer2.0.conv2"] == "layer2.0.add")
    #expect(f.unitFLOPs["layer1.0.add"] == 23808)
  }

  @Test func resnet56MatchesThePublishedTable() throws {
    // CLR-RNF's ResNet-56 table (ALGORITHMS.md §4.3): [1.0, 0.9052×8, 0.67278, 0.89297×8,
    // 0.66667, 0.88685×8], one factor per block, given to 4–5 significant digits.
    var rng = SeededRNG(seed: 1)
    let net = try ModelZoo.make("resnet56", options: ModelOptions(), rng: &rng)
    let f = try ComputationFactors(network: net).factors
    var published: [Double] = [1.0] + Array(repeating: 0.9052, count: 8)
    published += [0.67278] + Array(repeating: 0.89297, count: 8)
    published += [0.66667] + Array(repeating: 0.88685, count: 8)
    for (i, value) in published.enumerated() {
      let name = "layer\(i / 9 + 1).\(i % 9).conv1"
      #expect(abs(f[name]! - value) < 6e-5, "\(name): \(f[name]!) vs \(value)")
      #expect(f["layer\(i / 9 + 1).\(i % 9).conv2"] == f[name])
    }
  }

  @Test func plainConvFactorsFollowTheVGGFormula() throws {
    // (C_in·K² + 5)·C_out·H·W per conv: c1 (1→3, k3, 4×4): (9+5)·3·16 = 672;
    // c2 (3→2, k3, 4×4): (27+5)·2·16 = 1024.
    var b = NetworkBuilder(inputShape: [1, 4, 4], rng: SeededRNG(seed: 2))
    try b.add("c1", .conv(ConvSpec(inChannels: 1, outChannels: 3, kernel: 3, padding: 1)))
    try b.add("r1", .relu)
    try b.add("c2", .conv(ConvSpec(inChannels: 3, outChannels: 2, kernel: 3, padding: 1)))
    try b.add("r2", .relu)
    try b.add("pool", .globalAvgPool)
    try b.add("flatten", .flatten)
    try b.add("fc", .linear(LinearSpec(inFeatures: 2, outFeatures: 2)))
    var net = try b.build(name: "plain", classes: 2)
    let f = try ComputationFactors(network: net).factors
    #expect(f == ["c1": 1, "c2": 1024.0 / 672])

    // clr = ℓ1 / c^λ; λ = 1 for a model outside the paper's table.
    net.parameters["c2.weight"] = Tensor(
      shape: [2, 3, 3, 3], scalars: (0..<54).map { $0 < 27 ? 1 : 0 })
    let s = try CLRCriterion().score(CriteriaFixtures.input(net))
    #expect(close(s["c2"]!, [27 * 672.0 / 1024, 0], tol: 1e-9))
    let l1 = try L1Criterion().score(CriteriaFixtures.input(net))
    #expect(close(s["c1"]!, l1["c1"]!, tol: 1e-12))
    let squared = try CLRCriterion(lambda: 2).score(CriteriaFixtures.input(net))
    #expect(abs(squared["c2"]![0] - 27 * pow(672.0 / 1024, 2)) < 1e-9)
    #expect(CriteriaFixtures.argmin(s["c2"]!) == 1)
  }

  @Test func defaultLambdas() {
    #expect(CLRCriterion.defaultLambda(model: "vgg16") == 0.5)
    #expect(CLRCriterion.defaultLambda(model: "resnet56") == 10)
    #expect(CLRCriterion.defaultLambda(model: "resnet110") == 5)
    #expect(CLRCriterion.defaultLambda(model: "lenet5") == 1)
  }

  @Test func negativeLambdaIsRejected() throws {
    let net = try CriteriaFixtures.fourFilterNet()
    #expect(throws: CriterionError.self) {
      try CLRCriterion(lambda: -1).score(CriteriaFixtures.input(net))
    }
  }
}
