import CommandLanguage
import NeuralNet
import TensorCore

extension ValueType {
  /// A layer of a model, written as its node name: `features.0.conv`, `layer2.1.conv1`.
  public static let layer = ValueType("Layer")
}

/// Layer names the checker accepts for `Layer` parameters.
///
/// A script is checked before its models exist, so the checker accepts the weighted layers of
/// every zoo model (their names do not depend on width, channels or classes) as well as those
/// of the models bound now; completion offers only the latter. Whether the model at hand has
/// the layer is checked when the command runs.
enum LayerCatalog {
  /// The nodes with parameters (conv, batch norm, linear) of `network`, in graph order.
  static func weightedLayers(of network: Network) -> [String] {
    network.nodes.filter { !Network.parameterShapes(of: $0).isEmpty }.map(\.name)
  }

  /// The weighted layers of every zoo model, each built at the smallest width.
  static let zooLayers: [String] = {
    var names: [String] = []
    var seen: Set<String> = []
    var rng = SeededRNG(seed: 0)
    for name in ModelZoo.names {
      let options = ModelOptions(
        inputChannels: 1, inputSize: 32, classes: 2, widthMultiplier: 0.01)
      guard let network = try? ModelZoo.make(name, options: options, rng: &rng) else { continue }
      for layer in weightedLayers(of: network) where seen.insert(layer).inserted {
        names.append(layer)
      }
    }
    return names
  }()
}
