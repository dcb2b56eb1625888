import Datasets
import Foundation
import NeuralNet
import TensorCore
import Testing

@testable import Pruning

@Suite("Weight-only criteria on a network")
struct WeightCriterionTests {
  // Filters [3,−4], [0,0], [1,2], [1,2]: a zero filter and two identical ones (ties).
  let net = try! CriteriaFixtures.fourFilterNet()

  @Test func l1AndL2ByHand() throws {
    let input = CriteriaFixtures.input(net)
    let l1 = try L1Criterion().score(input)
    #expect(l1.layers == ["c1"])
    #expect(l1.criterion == "l1")
    #expect(close(l1["c1"]!, [7, 0, 3, 3]))
    let l2 = try L2Criterion().score(input)
    #expect(close(l2["c1"]!, [5, 0, Double(5).squareRoot(), Double(5).squareRoot()]))
    #expect(CriteriaFixtures.argmin(l1["c1"]!) == 1)
    #expect(CriteriaFixtures.argmin(l2["c1"]!) == 1)
  }

  @Test func fpgmByHand() throws {
    // d01 = 5, d02 = d03 = √40, d12 = d13 = √5, d23 = 0.
    let s = try FPGMCriterion().score(CriteriaFixtures.input(net))["c1"]!
    let r40 = Double(40).squareRoot()
    let r5 = Double(5).squareRoot()
    #expect(close(s, [5 + 2 * r40, 5 + 2 * r5, r40 + r5, r40 + r5], tol: 1e-9))
    // The duplicated filters are the most replaceable: lowest, and tied.
    #expect(s[2] == s[3])
    #expect(s[2] < s[0] && s[2] < s[1])
  }

  @Test func fermatByHand() throws {
    // Two of four points coincide at (1,2); the unit vectors from there to (3,−4) and (0,0)
    // sum to a vector of norm 1.848 ≤ 2, so (1,2) is the geometric median.
    let s = try FermatCriterion().score(CriteriaFixtures.input(net))["c1"]!
    #expect(close(s, [Double(40).squareRoot(), Double(5).squareRoot(), 0, 0], tol: 1e-6))
  }

  @Test func batchNormScaleIsAbsGamma() throws {
    let s = try BatchNormScaleCriterion().score(CriteriaFixtures.input(net))["c1"]!
    #expect(close(s, [0.5, 2, 0.1, 1], tol: 1e-7))
    #expect(CriteriaFixtures.argmin(s) == 2)
  }

  @Test func batchNormScaleNeedsABatchNorm() throws {
    let plain = try CriteriaFixtures.singleConvNet(out: 2, bias: false)
    #expect(throws: CriterionError.noBatchNorm(criterion: "bn", layer: "c1")) {
      try BatchNormScaleCriterion().score(CriteriaFixtures.input(plain))
    }
  }

  @Test func randomIsSeeded() throws {
    let r = RandomCriterion()
    let a = try r.score(CriteriaFixtures.input(net, seed: 11))["c1"]!
    let b = try r.score(CriteriaFixtures.input(net, seed: 11))["c1"]!
    let c = try r.score(CriteriaFixtures.input(net, seed: 12))["c1"]!
    #expect(a.count == 4)
    #expect(a == b)
    #expect(a != c)
    #expect(a.allSatisfy { $0 >= 0 && $0 < 1 })
    #expect(Set(a).count == 4)
  }

  @Test func everyConvOfAResNetIsScoredInGraphOrder() throws {
    let res = try CriteriaFixtures.tinyResNet(shortcut: .b)
    let s = try L1Criterion().score(CriteriaFixtures.input(res))
    let convs = res.nodes.compactMap { n -> String? in
      if case .conv = n.operation { return n.name }
      return nil
    }
    #expect(s.layers == convs)
    #expect(s.layers.contains("layer2.0.shortcut.conv"))
    for layer in s.layers {
      guard case .conv(let c)? = res.node(named: layer)?.operation else { continue }
      #expect(s[layer]?.count == c.outChannels)
    }
  }

  @Test func scoresRoundTripThroughJSON() throws {
    let s = try L1Criterion().score(CriteriaFixtures.input(net))
    let data = try JSONEncoder().encode(s)
    #expect(try JSONDecoder().decode(LayerScores.self, from: data) == s)
  }
}
