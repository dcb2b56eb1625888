/// Fitness by keep-mask hash: many α give the same masks (ALGORITHMS.md §1.3 step 7), and a
/// cached measurement is exactly what a new evaluation would give (the evaluator is a pure
/// function of the masks). Counts lookups and hits.
public struct FitnessCache: Sendable {
  private var entries: [String: FitnessMeasure] = [:]
  /// Lookups made.
  public private(set) var lookups = 0
  /// Lookups that found an entry.
  public private(set) var hits = 0

  /// An empty cache.
  public init() {}

  /// The measure stored for `hash`, counting the lookup.
  public mutating func lookup(_ hash: String) -> FitnessMeasure? {
    lookups += 1
    guard let m = entries[hash] else { return nil }
    hits += 1
    return m
  }

  /// Stores `measure` for `hash`.
  public mutating func store(_ hash: String, _ measure: FitnessMeasure) { entries[hash] = measure }

  /// Hits over lookups (0 before any lookup).
  public var hitRate: Double { lookups > 0 ? Double(hits) / Double(lookups) : 0 }
}

extension FitnessCache {
  /// Counts a lookup that was answered by an evaluation made earlier in the same batch.
  mutating func recordHit() {
    hits += 1
  }
}
