/// The genetic algorithm's settings, with the defaults of ALGORITHMS.md §1.3 step 7.
public struct EvolutionOptions: Codable, Sendable, Hashable {
  /// Individuals per generation (32).
  public var population: Int = 32
  /// Generations, counting the first (30).
  public var generations: Int = 30
  /// Best individuals copied unchanged into the next generation (4).
  public var elites: Int = 4
  /// Tournament size of parent selection (3).
  public var tournament: Int = 3
  /// Per-gene probability of taking the second parent's α in uniform crossover (0.5).
  public var crossover: Double = 0.5
  /// Standard deviation σ of the Gaussian mutation (0.1).
  public var mutationSigma: Double = 0.1
  /// Per-gene mutation probability (0.1).
  public var mutationRate: Double = 0.1
  /// What to maximise.
  public var metric: FitnessMetric = .accuracy
  /// Cache fitness by mask hash (turned off only to check that the cache changes nothing).
  public var cache: Bool = true

  /// The defaults.
  public init() {}

  /// Checks the ranges and that elites and tournament fit the population.
  public func validate() throws(BlendError) {
    guard population >= 2 else { throw .invalidOption("population must be at least 2") }
    guard generations >= 1 else { throw .invalidOption("generations must be at least 1") }
    guard elites >= 0, elites <= population else {
      throw .invalidOption("elites (\(elites)) must be between 0 and population (\(population))")
    }
    guard tournament >= 1, tournament <= population else {
      throw .invalidOption(
        "tournament (\(tournament)) must be between 1 and population (\(population))")
    }
    guard (0...1).contains(crossover) else { throw .invalidOption("crossover is a probability") }
    guard (0...1).contains(mutationRate), mutationSigma >= 0, mutationSigma.isFinite else {
      throw .invalidOption("mutation needs a rate in [0, 1] and σ ≥ 0")
    }
  }
}
