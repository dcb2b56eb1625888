import NeuralNet

/// Which conv layers an analysis covers: all scored convs by default, optionally without the
/// first conv and the 1×1 convs, where CWDA is weakest (ALGORITHMS.md §2.7), or a named subset.
///
/// ```swift
/// let sim = try CriteriaSimilarity(scores: all, network: net, layers: .rethinking)
/// ```
public struct AnalysisLayerSelection: Sendable, Equatable, Codable {
  /// Leave out the network's first conv (its filters are short, e.g. k = 3·3·3 = 27).
  public var excludeFirstConv: Bool
  /// Leave out 1×1 convs (k = C_in); needs the network to know the kernel sizes.
  public var excludePointwise: Bool
  /// When non-nil, only these layers (kept in graph order); each must be a scored conv.
  public var only: [String]?

  /// A selection; by default every scored conv.
  public init(excludeFirstConv: Bool = false, excludePointwise: Bool = false, only: [String]? = nil)
  {
    self.excludeFirstConv = excludeFirstConv
    self.excludePointwise = excludePointwise
    self.only = only
  }

  /// Every scored conv.
  public static let all = AnalysisLayerSelection()

  /// Every scored conv except the first conv and the 1×1 convs (ALGORITHMS.md §2.7).
  public static let rethinking = AnalysisLayerSelection(
    excludeFirstConv: true, excludePointwise: true)

  /// The selected layers among `candidates` (conv names in graph order), in that order.
  ///
  /// The first conv is the network's first conv node when `network` is given, otherwise the
  /// first candidate.
  /// - Throws: `AnalysisError.unknownLayer` for a name in `only` that is not a candidate,
  ///   `.needsNetwork` when `excludePointwise` is set without a network, `.missingWeights` for
  ///   a candidate that is not a conv of `network`, `.noLayers` when nothing is left.
  public func resolve(candidates: [String], network: Network?) throws(AnalysisError) -> [String] {
    var chosen = candidates
    if let only {
      for name in only where !candidates.contains(name) {
        throw .unknownLayer(name: name, known: candidates)
      }
      let wanted = Set(only)
      chosen = candidates.filter { wanted.contains($0) }
    }
    if excludeFirstConv {
      let first = network.flatMap { ConvGraph(network: $0).convNames.first } ?? candidates.first
      chosen.removeAll { $0 == first }
    }
    if excludePointwise {
      guard let network else { throw .needsNetwork(option: "excluding 1×1 convs") }
      let graph = ConvGraph(network: network)
      var kept: [String] = []
      for name in chosen {
        guard let spec = graph.convSpec(name) else { throw .missingWeights(layer: name) }
        if spec.kernel != 1 { kept.append(name) }
      }
      chosen = kept
    }
    guard !chosen.isEmpty else { throw .noLayers }
    return chosen
  }
}
