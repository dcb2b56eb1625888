/// One individual of the search: the calibration factors α ∈ [0, 1], one per gene of a
/// ``BlendSpace`` (see ``BlendSpace/genes``).
public struct BlendGenome: Codable, Sendable, Hashable {
  /// α per gene.
  public var alphas: [Double]

  /// A genome of these factors.
  public init(_ alphas: [Double]) { self.alphas = alphas }
}
