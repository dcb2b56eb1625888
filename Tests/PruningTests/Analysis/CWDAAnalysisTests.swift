import Foundation
import NeuralNet
import Pruning
import Statistics
import TensorCore
import Testing

@Suite("CWDA analysis")
struct CWDAAnalysisTests {
  /// c1: 4 → 32 channels, 3×3 (k = 36); c2: 32 → 32, 1×1 (k = 32); weights from `draw`.
  static func network(_ draw: () -> Float) throws -> Network {
    var net = try AnalysisFixtures.convChain(
      inputChannels: 4, convs: [("c1", 32, 3), ("c2", 32, 1)])
    try AnalysisFixtures.setWeights(&net, "c1", draw)
    try AnalysisFixtures.setWeights(&net, "c2", draw)
    return net
  }

  static let options = CWDAAnalysis.Options(projectionCount: 40)

  @Test func gaussianWeightsAreMostlyNotRejected() throws {
    var rng = SeededRNG(seed: 21)
    let net = try Self.network { 0.1 * rng.nextNormal() }
    let cwda = try CWDAAnalysis(network: net, rng: SeededRNG(seed: 5), options: Self.options)
    #expect(cwda.layers.map(\.name) == ["c1", "c2"])
    #expect(cwda.skipped.isEmpty)
    #expect(cwda.layers.map(\.report.dimension) == [36, 32])
    #expect(cwda.layers.map(\.report.filters) == [32, 32])
    let s = cwda.summary
    for family in [s.meanZero, s.coordinateShapiroWilk, s.projections] {
      #expect(family.layersTested == 2)
      #expect(family.fraction == 1)
    }
    // Single pooled tests reject a true null with probability α = 0.05 each; with these
    // seeds none does.
    #expect(s.pooledShapiroWilk.fraction == 1 && s.pooledDAgostino.fraction == 1)
    for layer in cwda.layers {
      #expect(try #require(layer.report.shapiroWilkNotRejectedFraction) > 0.8)
      #expect(layer.report.projectionsTested == 40)
    }
  }

  @Test func exponentialWeightsAreRejected() throws {
    var rng = SeededRNG(seed: 22)
    // Exp(1) draws by inversion: −log(1 − u); mean 1 and skewness 2.
    let net = try Self.network { Float(-log(1 - rng.nextDouble())) }
    let cwda = try CWDAAnalysis(network: net, rng: SeededRNG(seed: 5), options: Self.options)
    let s = cwda.summary
    #expect(s.meanZero.fraction == 0)
    #expect(s.coordinateShapiroWilk.fraction == 0)
    #expect(s.pooledShapiroWilk.fraction == 0)
    #expect(s.pooledDAgostino.fraction == 0)
    #expect(s.meanZero.layersTested == 2)
    // Random projections sum k ≥ 32 independent coordinates, which the central limit theorem
    // makes nearly Gaussian: that family has little power here, so it is not asserted.
  }

  @Test func sameGeneratorSameResultAndLayersAreIndependent() throws {
    var rng = SeededRNG(seed: 23)
    let net = try Self.network { rng.nextNormal() }
    let both = try CWDAAnalysis(network: net, rng: SeededRNG(seed: 9), options: Self.options)
    let again = try CWDAAnalysis(network: net, rng: SeededRNG(seed: 9), options: Self.options)
    #expect(both == again)
    var onlySecond = Self.options
    onlySecond.layers = AnalysisLayerSelection(only: ["c2"])
    let one = try CWDAAnalysis(network: net, rng: SeededRNG(seed: 9), options: onlySecond)
    #expect(one.layers == [both.layers[1]])
  }

  @Test func identicalFiltersAreSkippedWithAReason() throws {
    var rng = SeededRNG(seed: 24)
    var net = try Self.network { rng.nextNormal() }
    try AnalysisFixtures.setWeights(&net, "c2") { 0 }
    let cwda = try CWDAAnalysis(network: net, rng: SeededRNG(seed: 5), options: Self.options)
    #expect(cwda.layers.map(\.name) == ["c1"])
    #expect(cwda.skipped.map(\.name) == ["c2"])
    #expect(cwda.skipped[0].reason.contains("identical"))
    #expect(cwda.summary.meanZero.layersTested == 1)
  }
}
