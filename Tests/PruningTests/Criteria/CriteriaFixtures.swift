import Datasets
import NeuralNet
import Pruning
import TensorCore
import Testing

/// One compute context for all criterion tests (one worker thread).
let criteriaContext: ComputeContext = try! ComputeContext(threads: 1)

enum CriteriaFixtures {
  /// `input [2,1,1] → c1 (1×1, 2→4) → bn1 → relu1 → pool → flatten → fc (4→2)`, with the
  /// filters `[3,−4], [0,0], [1,2], [1,2]` and BN scales `γ = [0.5, −2, 0.1, 1]`.
  static func fourFilterNet() throws -> Network {
    var b = NetworkBuilder(inputShape: [2, 1, 1], rng: SeededRNG(seed: 1))
    try b.add("c1", .conv(ConvSpec(inChannels: 2, outChannels: 4, kernel: 1)))
    try b.add("bn1", .batchNorm(BatchNormSpec(channels: 4)))
    try b.add("relu1", .relu)
    try b.add("pool", .globalAvgPool)
    try b.add("flatten", .flatten)
    try b.add("fc", .linear(LinearSpec(inFeatures: 4, outFeatures: 2)))
    var net = try b.build(name: "four", classes: 2)
    net.parameters["c1.weight"] = Tensor(shape: [4, 2, 1, 1], scalars: [3, -4, 0, 0, 1, 2, 1, 2])
    net.parameters["bn1.weight"] = Tensor(shape: [4], scalars: [0.5, -2, 0.1, 1])
    return net
  }

  /// `input [1,4,4] → c1 (k, 1→out, bias?) → [bn1] → relu1 → pool → flatten → fc (out→2)`.
  static func singleConvNet(
    out: Int, kernel: Int = 1, bias: Bool, batchNorm: Bool = false, seed: UInt64 = 3
  ) throws -> Network {
    var b = NetworkBuilder(inputShape: [1, 4, 4], rng: SeededRNG(seed: seed))
    try b.add(
      "c1",
      .conv(
        ConvSpec(inChannels: 1, outChannels: out, kernel: kernel, padding: kernel / 2, bias: bias)))
    if batchNorm { try b.add("bn1", .batchNorm(BatchNormSpec(channels: out))) }
    try b.add("relu1", .relu)
    try b.add("pool", .globalAvgPool)
    try b.add("flatten", .flatten)
    try b.add("fc", .linear(LinearSpec(inFeatures: out, outFeatures: 2)))
    return try b.build(name: "single", classes: 2)
  }

  /// A tiny CIFAR ResNet-20 (widths 4/8/16) on 1×8×8 images.
  static func tinyResNet(shortcut: ModelOptions.Shortcut = .a) throws -> Network {
    var rng = SeededRNG(seed: 5)
    return try ModelZoo.make(
      "resnet20",
      options: ModelOptions(
        inputChannels: 1, inputSize: 8, classes: 3, widthMultiplier: 0.25, shortcut: shortcut),
      rng: &rng)
  }

  /// `count` images of normal noise, labels cycling through `classes`.
  static func noise(count: Int, shape: [Int], classes: Int, seed: UInt64) -> DataSplit {
    var rng = SeededRNG(seed: seed)
    let size = shape.reduce(1, *)
    let images = (0..<(count * size)).map { _ in rng.nextNormal() }
    let labels = (0..<count).map { Int32($0 % classes) }
    return DataSplit(
      images: images, labels: labels, channels: shape[0], height: shape[1], width: shape[2])
  }

  /// A scoring input with the shared context.
  static func input(
    _ net: Network, data: DataSplit? = nil, batches: Int = 1, batchSize: Int = 8, seed: UInt64 = 7
  ) -> ScoringInput {
    ScoringInput(
      network: net, data: data, batches: batches, batchSize: batchSize, context: criteriaContext,
      rng: SeededRNG(seed: seed))
  }

  /// Index of the smallest value (first on ties).
  static func argmin(_ v: [Double]) -> Int {
    v.indices.min { v[$0] < v[$1] || (v[$0] == v[$1] && $0 < $1) }!
  }
}

/// `|a − b| ≤ tol` element-wise, same length.
func close(_ a: [Double], _ b: [Double], tol: Double = 1e-9) -> Bool {
  a.count == b.count && zip(a, b).allSatisfy { abs($0 - $1) <= tol }
}
