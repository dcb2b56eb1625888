/// The uniform blend (ALGORITHMS.md §1.3 with every α equal): no search, one measurement of
/// the uniform individual, so that it can be bound and planned by like the searched blend and
/// compared with it on the same fitness images.
///
/// Its result has one generation holding the uniform individual alone (origin `uniform`), the
/// settings population 1, generations 1, elites 0, tournament 1, and no one-hot individual.
///
/// ```swift
/// let result = try UniformBlend.run(space: space, metric: .accuracy) { genomes, done, stop in
///   try evaluator.evaluate(genomes, stop: stop, done: done)
/// }
/// result.best.genome == space.uniform   // true
/// ```
public enum UniformBlend {
  /// Measures `space`'s uniform individual with `evaluate` (as the search does).
  ///
  /// - Throws: ``BlendError/invalidOption(_:)`` when the space has no genes;
  ///   ``BlendError/stoppedBeforeFirstEvaluation`` when the evaluation
  ///   was stopped before it finished.
  public static func run(
    space: BlendSpace, metric: FitnessMetric, stop: @escaping () -> Bool = { false },
    evaluate: EvolutionarySearch.Evaluate
  ) throws -> BlendSearchResult {
    guard !space.genes.isEmpty else {
      throw BlendError.invalidOption("the space has no genes (no group has a candidate)")
    }
    let genome = space.uniform
    let hash = BlendSpace.maskHash(space.removed(genome))
    let measured = try evaluate([genome], { _ in }, stop)
    guard let measure = measured.first else {
      throw BlendError.stoppedBeforeFirstEvaluation
    }
    let evaluation = BlendEvaluation(
      generation: 0, index: 0, origin: "uniform", genome: genome, maskHash: hash,
      measure: measure, fitness: measure.fitness(metric), cacheHit: false)
    return BlendSearchResult(
      space: space, options: options(metric), best: evaluation, bestOneHot: nil,
      lineage: [evaluation],
      generations: [
        GenerationSummary(
          generation: 0, best: evaluation.fitness, mean: evaluation.fitness, evaluated: 1)
      ],
      cacheLookups: 0, cacheHits: 0, stoppedEarly: false)
  }

  /// The settings a uniform blend records: one individual, one generation.
  public static func options(_ metric: FitnessMetric) -> EvolutionOptions {
    var o = EvolutionOptions()
    o.population = 1
    o.generations = 1
    o.elites = 0
    o.tournament = 1
    o.crossover = 0
    o.mutationRate = 0
    o.mutationSigma = 0
    o.metric = metric
    return o
  }

  /// Whether `result` is a uniform blend (made by ``run(space:metric:stop:evaluate:)``).
  public static func isUniform(_ result: BlendSearchResult) -> Bool {
    result.lineage.count == 1 && result.lineage[0].origin == "uniform"
      && result.options == options(result.options.metric)
  }
}
