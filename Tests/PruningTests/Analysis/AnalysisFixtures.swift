import Foundation
import NeuralNet
import Pruning
import TensorCore
import Testing

/// Networks and score sets for the analysis tests.
enum AnalysisFixtures {
  /// `input [cin,4,4] → (conv, relu)… → pool → flatten → fc`, convs padded to keep 4×4; the
  /// builder's Kaiming-normal weights (std `sqrt(2/k)`) from `SeededRNG(seed:)`.
  static func convChain(
    inputChannels: Int, convs: [(name: String, out: Int, kernel: Int)], seed: UInt64 = 1
  ) throws -> Network {
    var b = NetworkBuilder(inputShape: [inputChannels, 4, 4], rng: SeededRNG(seed: seed))
    var channels = inputChannels
    for conv in convs {
      try b.add(
        conv.name,
        .conv(
          ConvSpec(
            inChannels: channels, outChannels: conv.out, kernel: conv.kernel,
            padding: conv.kernel / 2)))
      try b.add("relu_" + conv.name, .relu)
      channels = conv.out
    }
    try b.add("pool", .globalAvgPool)
    try b.add("flatten", .flatten)
    try b.add("fc", .linear(LinearSpec(inFeatures: channels, outFeatures: 2)))
    return try b.build(name: "chain", classes: 2)
  }

  /// Replaces conv `name`'s weights by `count` draws of `draw`.
  static func setWeights(
    _ net: inout Network, _ name: String, _ draw: () -> Float
  ) throws {
    let shape = try #require(net.parameters[name + ".weight"]).shape
    let count = shape.reduce(1, *)
    net.parameters[name + ".weight"] = Tensor(
      shape: shape, scalars: (0..<count).map { _ in draw() })
  }

  /// A criterion's scores for the given layers, in that order.
  static func scores(_ criterion: String, _ layers: [(String, [Double])]) -> LayerScores {
    LayerScores(
      criterion: criterion, layers: layers.map(\.0),
      scores: Dictionary(uniqueKeysWithValues: layers))
  }
}

/// `|a − b| ≤ tol`, treating two nils as equal.
func analysisClose(_ a: Double?, _ b: Double?, tol: Double = 1e-12) -> Bool {
  switch (a, b) {
  case (nil, nil): return true
  case (let x?, let y?): return abs(x - y) <= tol
  default: return false
  }
}
