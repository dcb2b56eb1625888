/// What a blend search found and how: the space, the settings, the best individual, the best
/// one-hot individual (the best single candidate), every evaluation, per-generation best and
/// mean, the cache's hit rate, and whether the search was stopped early.
public struct BlendSearchResult: Codable, Sendable, Equatable {
  /// The problem searched.
  public var space: BlendSpace
  /// The settings.
  public var options: EvolutionOptions
  /// The fittest evaluation (first found on ties).
  public var best: BlendEvaluation
  /// The fittest one-hot individual of the first generation, if any was evaluated.
  public var bestOneHot: BlendEvaluation?
  /// Every evaluation, in order.
  public var lineage: [BlendEvaluation]
  /// Per generation (a stopped generation included, with what it evaluated).
  public var generations: [GenerationSummary]
  /// Cache lookups.
  public var cacheLookups: Int
  /// Cache hits.
  public var cacheHits: Int
  /// Whether a stop request ended the search before its last generation.
  public var stoppedEarly: Bool
  /// Where it stopped (nil: it ran to the end); a search given this point stops there too.
  public var stoppedAt: BlendStopPoint?

  /// Hits over lookups.
  public var hitRate: Double { cacheLookups > 0 ? Double(cacheHits) / Double(cacheLookups) : 0 }
  /// Evaluations that ran the network (cache misses).
  public var evaluationsRun: Int { lineage.filter { !$0.cacheHit }.count }
}
