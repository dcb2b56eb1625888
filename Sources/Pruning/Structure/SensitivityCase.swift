/// One evaluation of a sensitivity sweep: a group pruned alone at a ratio (its lowest-scored
/// channels removed), or the unpruned network (``isBase``: no group).
///
/// ```swift
/// let cases = try SensitivityAnalysis.cases(network: net, scores: s, ratios: [0.5])
/// cases[0].isBase  // true: the reference every change is measured against
/// ```
public struct SensitivityCase: Codable, Sendable, Hashable {
  /// The group id ("" for the unpruned network).
  public var group: String
  /// Its channels.
  public var channels: Int
  /// Fraction asked for.
  public var ratio: Double
  /// Channels removed (ascending).
  public var removed: [Int]

  /// A case.
  public init(group: String, channels: Int, ratio: Double, removed: [Int]) {
    self.group = group
    self.channels = channels
    self.ratio = ratio
    self.removed = removed
  }

  /// Whether this is the unpruned network.
  public var isBase: Bool { group.isEmpty }
}
