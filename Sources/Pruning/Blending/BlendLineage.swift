/// One evaluated individual of the search: when, what, how fit, and whether the fitness came
/// from the cache.
public struct BlendEvaluation: Codable, Sendable, Hashable {
  /// Generation (0 = the initial population).
  public var generation: Int
  /// Position in its generation.
  public var index: Int
  /// How it was made: `one-hot <criterion>`, `uniform`, `random`, `elite`, `offspring`.
  public var origin: String
  /// The factors.
  public var genome: BlendGenome
  /// ``BlendSpace/maskHash(_:)`` of its keep-masks.
  public var maskHash: String
  /// The measurements.
  public var measure: FitnessMeasure
  /// The fitness (larger is better).
  public var fitness: Double
  /// Whether the measurements came from the cache.
  public var cacheHit: Bool
}

/// Per generation: best and mean fitness.
public struct GenerationSummary: Codable, Sendable, Hashable {
  /// Generation number.
  public var generation: Int
  /// Best fitness so far in the search (elitism makes it monotone).
  public var best: Double
  /// Mean fitness of the generation.
  public var mean: Double
  /// Evaluations that missed the cache.
  public var evaluated: Int
}
