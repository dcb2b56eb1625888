/// Where a running search is, for a progress bar.
public struct BlendProgress: Sendable, Equatable {
  /// Current generation (0-based).
  public var generation: Int
  /// Generations in all.
  public var generations: Int
  /// Individuals done in this generation.
  public var done: Int
  /// Individuals per generation.
  public var population: Int
  /// Best fitness so far (nil before the first evaluation).
  public var best: Double?
  /// Mean fitness of the last finished generation.
  public var mean: Double?
}
