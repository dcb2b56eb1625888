import NeuralNet
import TensorCore
import Testing

/// The zoo's two convolution initialisations: He's normal and PyTorch's uniform, by their
/// bounds and spreads (known in closed form), and the rest of the network left alone.
@Suite struct InitializationTests {
  func build(_ initialization: ModelOptions.Initialization) throws -> Network {
    var rng = SeededRNG(seed: 3)
    return try ModelZoo.make(
      "vgg-small",
      options: ModelOptions(inputChannels: 1, inputSize: 28, initialization: initialization),
      rng: &rng)
  }

  /// Standard deviation of the values about 0 (both draws have mean 0).
  func spread(_ values: [Float]) -> Double {
    (values.reduce(0.0) { $0 + Double($1) * Double($1) } / Double(values.count)).squareRoot()
  }

  @Test func torchDrawsUniformWithinOneOverRootFanIn() throws {
    let net = try build(.torch)
    // features.3.conv: 64 → 64 channels, 3×3, fan_in 576: bound 1/24, std 1/(24·√3).
    let w = try #require(net.parameters["features.3.conv.weight"]).scalars
    let bound = 1 / Float(576).squareRoot()
    #expect(w.allSatisfy { abs($0) <= bound })
    #expect(w.contains { abs($0) > 0.95 * bound })
    #expect(abs(spread(w) / (Double(bound) / 3.0.squareRoot()) - 1) < 0.02)
  }

  @Test func heDrawsNormalWithStdRootTwoOverFanIn() throws {
    let net = try build(.he)
    let w = try #require(net.parameters["features.3.conv.weight"]).scalars
    let std = (2.0 / 576).squareRoot()
    #expect(abs(spread(w) / std - 1) < 0.02)
    // A normal draw goes past 3σ for about 0.27% of 36,864 weights.
    #expect(w.contains { Double(abs($0)) > 3 * std })
  }

  @Test func theDefaultIsHeAndBatchNormStartsTheSame() throws {
    var rng = SeededRNG(seed: 3)
    let plain = try ModelZoo.make(
      "vgg-small", options: ModelOptions(inputChannels: 1, inputSize: 28), rng: &rng)
    let he = try build(.he)
    let torch = try build(.torch)
    #expect(plain.parameters.mapValues(\.scalars) == he.parameters.mapValues(\.scalars))
    // Every conv differs; batch norm's constants do not (the classifier is drawn from the same
    // stream after the convs, so its values move with the draws before it).
    for (path, value) in he.parameters {
      let other = try #require(torch.parameters[path])
      if path.hasSuffix("conv.weight") { #expect(value.scalars != other.scalars, "\(path)") }
      if path.contains(".bn") { #expect(value.scalars == other.scalars, "\(path)") }
    }
  }
}
