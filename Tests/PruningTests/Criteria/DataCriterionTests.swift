import Datasets
import NeuralNet
import TensorCore
import Testing

@testable import Pruning

@Suite("Data-driven criteria: apoz, hrank, taylor")
struct DataCriterionTests {
  /// Two 1×4×4 images: the first with 8 negative pixels, the second with 4 (none exactly 0).
  static let apozData: DataSplit = {
    let first: [Float] = (0..<16).map { $0 < 8 ? -Float($0 + 1) : Float($0) }
    let second: [Float] = (0..<16).map { $0 % 4 == 0 ? -0.5 : 0.25 * Float($0 + 1) }
    return DataSplit(
      images: first + second, labels: [0, 1], channels: 1, height: 4, width: 4)
  }()

  func apozNet(batchNorm: Bool) throws -> Network {
    // Channel 0 passes the image, channel 1 is always cut off (bias −100), channel 2 never.
    var net = try CriteriaFixtures.singleConvNet(out: 3, bias: true, batchNorm: batchNorm)
    net.parameters["c1.weight"] = Tensor(shape: [3, 1, 1, 1], scalars: [1, 1, 1])
    net.parameters["c1.bias"] = Tensor(shape: [3], scalars: [0, -100, 100])
    return net
  }

  @Test(arguments: [false, true])
  func apozCountsZerosAfterTheReLU(batchNorm: Bool) throws {
    let net = try apozNet(batchNorm: batchNorm)
    let input = CriteriaFixtures.input(net, data: Self.apozData, batches: 1, batchSize: 2)
    let s = try APoZCriterion().score(input)["c1"]!
    // Channel 0: 8 + 4 zeros of 32 values → 1 − 12/32.
    #expect(close(s, [1 - 12.0 / 32, 0, 1], tol: 1e-12))
    #expect(CriteriaFixtures.argmin(s) == 1)
  }

  @Test func missingDataIsATypedError() throws {
    let net = try apozNet(batchNorm: false)
    #expect(throws: CriterionError.missingData(criterion: "apoz")) {
      try APoZCriterion().score(CriteriaFixtures.input(net))
    }
    let wrong = CriteriaFixtures.noise(count: 2, shape: [1, 5, 5], classes: 2, seed: 1)
    #expect(throws: CriterionError.self) {
      try HRankCriterion().score(CriteriaFixtures.input(net, data: wrong))
    }
  }

  @Test func matrixRankOfKnownMatrices() {
    var ranker = MatrixRank(rows: 3, cols: 3)
    let cases: [([Float], Int)] = [
      ([0, 0, 0, 0, 0, 0, 0, 0, 0], 0),
      ([1, 2, 3, 2, 4, 6, -1, -2, -3], 1),  // outer product [1,2,−1]ᵀ[1,2,3]
      ([1, 0, 0, 0, 1, 0, 0, 0, 1], 3),
      ([1, 2, 3, 4, 5, 6, 5, 7, 9], 2),  // row 3 = row 1 + row 2
    ]
    for (values, expected) in cases {
      let r = values.withUnsafeBufferPointer { ranker.rank($0.baseAddress!) }
      #expect(r == expected, "\(values)")
    }
    var wide = MatrixRank(rows: 2, cols: 4)
    let w: [Float] = [1, 2, 3, 4, 2, 4, 6, 8]
    #expect(w.withUnsafeBufferPointer { wide.rank($0.baseAddress!) } == 1)
  }

  @Test func hrankAveragesTheRanksOfTheMaps() throws {
    // Weights [1, 0, −1]: channel 0 = relu(x), channel 1 = 0, channel 2 = relu(−x).
    var net = try CriteriaFixtures.singleConvNet(out: 3, bias: false)
    net.parameters["c1.weight"] = Tensor(shape: [3, 1, 1, 1], scalars: [1, 0, -1])
    // Image 0: a rank-1 positive block and a rank-2 negative diagonal block.
    let image0: [Float] = [1, 1, 0, 0, 2, 2, 0, 0, 0, 0, -1, 0, 0, 0, 0, -1]
    // Image 1: the identity (rank 4 positive, nothing negative).
    let image1: [Float] = (0..<16).map { $0 % 5 == 0 ? 1 : 0 }
    let data = DataSplit(
      images: image0 + image1, labels: [0, 1], channels: 1, height: 4, width: 4)
    let s = try HRankCriterion().score(
      CriteriaFixtures.input(net, data: data, batches: 1, batchSize: 2))["c1"]!
    // Channel 0: (1 + 4)/2; channel 1: 0; channel 2: (2 + 0)/2.
    #expect(close(s, [2.5, 0, 1], tol: 1e-12))
    #expect(CriteriaFixtures.argmin(s) == 1)
  }

  @Test func taylorWeightFormMatchesFiniteDifferences() throws {
    // No batch norm: the gate is on the conv output, ∂L/∂m_i = Σ w ∂L/∂w + b ∂L/∂b.
    var net = try CriteriaFixtures.singleConvNet(out: 3, kernel: 3, bias: true, seed: 21)
    var w = net.parameters["c1.weight"]!.scalars
    for j in 9..<18 { w[j] = 0 }  // filter 1 is zero: obviously least important
    net.parameters["c1.weight"] = Tensor(shape: [3, 1, 3, 3], scalars: w)
    net.parameters["c1.bias"] = Tensor(shape: [3], scalars: [0.1, 0, -0.05])
    let data = CriteriaFixtures.noise(count: 4, shape: [1, 4, 4], classes: 2, seed: 8)
    let s = try TaylorCriterion().score(
      CriteriaFixtures.input(net, data: data, batches: 1, batchSize: 4))["c1"]!
    // Central difference of the mean loss in the gate m_i (filter and bias scaled by m_i).
    let trainer = Trainer(context: criteriaContext)
    let h = 1e-2
    for i in 0..<3 {
      func loss(_ m: Double) throws -> Double {
        var scaled = net
        var sw = w
        for j in (i * 9)..<((i + 1) * 9) { sw[j] = Float(Double(sw[j]) * m) }
        var b = net.parameters["c1.bias"]!.scalars
        b[i] = Float(Double(b[i]) * m)
        scaled.parameters["c1.weight"] = Tensor(shape: [3, 1, 3, 3], scalars: sw)
        scaled.parameters["c1.bias"] = Tensor(shape: [3], scalars: b)
        return try trainer.evaluate(scaled, on: data, batchSize: 4).loss
      }
      let g = (try loss(1 + h) - loss(1 - h)) / (2 * h)
      #expect(abs(s[i].squareRoot() - abs(g)) <= 2e-3 * abs(g) + 2e-6, "channel \(i)")
    }
    #expect(s[1] == 0)
    #expect(CriteriaFixtures.argmin(s) == 1)
  }

  @Test func taylorBatchNormGateMatchesFiniteDifferences() throws {
    var net = try CriteriaFixtures.singleConvNet(
      out: 3, kernel: 3, bias: false, batchNorm: true, seed: 22)
    let gamma: [Float] = [1, 0, 1.5]
    let beta: [Float] = [0.1, 0, 0.3]  // channel 1 is gated off: least important
    net.parameters["bn1.weight"] = Tensor(shape: [3], scalars: gamma)
    net.parameters["bn1.bias"] = Tensor(shape: [3], scalars: beta)
    let data = CriteriaFixtures.noise(count: 4, shape: [1, 4, 4], classes: 2, seed: 9)
    let input = CriteriaFixtures.input(net, data: data, batches: 1, batchSize: 4)
    let s = try TaylorCriterion().score(input)["c1"]!
    // Training-mode loss (batch statistics) with γ_i and β_i scaled by m.
    func loss(_ i: Int, _ m: Double) throws -> Double {
      var scaled = net
      var g = gamma
      var b = beta
      g[i] = Float(Double(g[i]) * m)
      b[i] = Float(Double(b[i]) * m)
      scaled.parameters["bn1.weight"] = Tensor(shape: [3], scalars: g)
      scaled.parameters["bn1.bias"] = Tensor(shape: [3], scalars: b)
      return try criteriaContext.perform {
        let ex = try Executor(network: scaled, batch: 4, training: true, context: criteriaContext)
        let logits = try data.images.withUnsafeBufferPointer { try ex.forward(&scaled, images: $0) }
        return try SoftmaxCrossEntropy.evaluate(logits: logits, labels: data.labels).loss
      }
    }
    let h = 1e-2
    for i in [0, 2] {
      let g = (try loss(i, 1 + h) - loss(i, 1 - h)) / (2 * h)
      #expect(abs(s[i].squareRoot() - abs(g)) <= 2e-3 * abs(g) + 2e-6, "channel \(i)")
    }
    #expect(s[1] == 0)
    #expect(CriteriaFixtures.argmin(s) == 1)
    // The caller's running statistics are untouched by the training pass.
    #expect(input.network.buffers["bn1.running_mean"]!.scalars == [0, 0, 0])
    #expect(net.buffers["bn1.running_var"]!.scalars == [1, 1, 1])
  }

  @Test func imageChoiceIsSeededAndDistinct() {
    let a = ActivationCollector.batchIndices(
      count: 10, batches: 3, batchSize: 3, rng: SeededRNG(seed: 1))
    let b = ActivationCollector.batchIndices(
      count: 10, batches: 3, batchSize: 3, rng: SeededRNG(seed: 1))
    #expect(a == b)
    #expect(a.count == 3 && a.allSatisfy { $0.count == 3 })
    #expect(Set(a.flatMap { $0 }).count == 9)
    // A split smaller than asked: one batch of the whole split.
    let small = ActivationCollector.batchIndices(
      count: 5, batches: 4, batchSize: 8, rng: SeededRNG(seed: 1))
    #expect(small.count == 1 && Set(small[0]) == Set(0..<5))
  }
}
