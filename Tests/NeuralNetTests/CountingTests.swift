import NeuralNet
import TensorCore
import Testing

/// FLOPs (MACs) and parameter counts against the figures the literature reports for the CIFAR
/// models (He et al. 2016; Li et al. 2017 "Pruning filters for efficient ConvNets", Table 1/2).
@Suite struct CountingTests {
  func build(_ name: String, _ options: ModelOptions = .init()) throws -> Network {
    var rng = SeededRNG(seed: 0)
    return try ModelZoo.make(name, options: options, rng: &rng)
  }

  func within(_ value: Int, _ reference: Double, _ tolerance: Double = 0.01) -> Bool {
    abs(Double(value) - reference) / reference <= tolerance
  }

  @Test(arguments: [
    ("resnet20", 40.6e6, 0.27e6), ("resnet56", 125.5e6, 0.85e6), ("vgg16", 313.7e6, 14.7e6),
  ])
  func literatureFigures(name: String, macs: Double, params: Double) throws {
    let net = try build(name)
    #expect(within(net.macs, macs), "\(name) MACs \(net.macs)")
    #expect(within(net.parameterCount, params), "\(name) params \(net.parameterCount)")
  }
}
