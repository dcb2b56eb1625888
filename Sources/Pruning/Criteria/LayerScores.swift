/// The scores one criterion gave a network: one vector per conv node, one entry per output
/// channel, larger = keep.
///
/// ```swift
/// let s = try L1Criterion().score(input)
/// s.layers            // ["conv1", "layer1.0.conv1", …] in graph order
/// s.scores["conv1"]   // [0.8, 1.3, …]
/// ```
public struct LayerScores: Codable, Sendable, Equatable {
  /// The criterion's registry name.
  public var criterion: String
  /// The conv nodes scored, in graph order.
  public var layers: [String]
  /// Per conv node, one score per output channel (larger = keep).
  public var scores: [String: [Double]]

  /// Scores of `criterion` for `layers`.
  public init(criterion: String, layers: [String], scores: [String: [Double]]) {
    self.criterion = criterion
    self.layers = layers
    self.scores = scores
  }

  /// The scores of `layer`, or nil if it was not scored.
  public subscript(layer: String) -> [Double]? { scores[layer] }
}
