import TensorCore

/// The genetic algorithm over calibration factors (ALGORITHMS.md §1.3 step 7).
///
/// Generation 0 holds one one-hot individual per candidate criterion, the uniform individual,
/// and random ones (α ~ U[0, 1]) up to the population. Each later generation keeps the
/// `elites` fittest unchanged and fills the rest with children: two parents by tournament
/// (`tournament` draws with replacement, the fittest wins), uniform crossover (each gene from
/// the second parent with probability `crossover`), Gaussian mutation (each gene with
/// probability `mutationRate` gets `+ N(0, σ²)`), clipped to [0, 1]. Fitness is cached by
/// the keep-masks' hash. All draws come from `rng`, in a fixed order that does not depend on the
/// cache or on timing, so the search is reproducible bit for bit.
///
/// ```swift
/// let search = EvolutionarySearch(space: space, options: EvolutionOptions())
/// let result = try search.run(rng: rng) { genomes, done, stop in
///   try evaluator.evaluate(genomes, stop: stop, done: done)
/// }
/// result.best.genome
/// ```
public struct EvolutionarySearch: Sendable {
  /// The problem.
  public let space: BlendSpace
  /// The settings.
  public let options: EvolutionOptions

  /// A search of `space` with `options`.
  public init(space: BlendSpace, options: EvolutionOptions) {
    self.space = space
    self.options = options
  }

  /// Measures a generation's distinct, uncached genomes: gets them in order, calls `done`
  /// after each, and returns fewer measurements than genomes only when `stop` said so.
  public typealias Evaluate = (
    _ genomes: [BlendGenome], _ done: (Int) -> Void, _ stop: () -> Bool
  ) throws -> [FitnessMeasure]

  /// Runs the search; `progress` hears after every individual, `stop` is polled between
  /// evaluations and between generations (a stop binds the best so far and marks the result
  /// stopped early, with the ``BlendStopPoint`` where it stopped). With `stopAt`, the search
  /// also stops there, as if `stop` had said so at that poll: a replay of a stopped search.
  public func run(
    rng: SeededRNG, stopAt: BlendStopPoint? = nil,
    progress: @escaping (BlendProgress) -> Void = { _ in },
    stop: @escaping () -> Bool = { false }, evaluate: Evaluate
  ) throws -> BlendSearchResult {
    try options.validate()
    guard !space.genes.isEmpty else {
      throw BlendError.invalidOption("the space has no genes (no group has a candidate)")
    }
    var r = rng
    var cache = FitnessCache()
    var lineage: [BlendEvaluation] = []
    var summaries: [GenerationSummary] = []
    var stopped = false
    var stoppedAt: BlendStopPoint?
    // Every poll of the stop request, at a point that names it.
    func halt(_ generation: Int, _ evaluated: Int) -> Bool {
      let here = BlendStopPoint(generation: generation, evaluated: evaluated)
      guard here == stopAt || stop() else { return false }
      stoppedAt = here
      return true
    }
    var bestSoFar: BlendEvaluation?
    var population = initialPopulation(&r)
    var previous: [BlendEvaluation] = []
    for generation in 0..<options.generations {
      if generation > 0 {
        population = nextPopulation(previous, &r)
      }
      // Masks and cache lookups, in order; misses deduplicated by hash.
      let removed = population.map { space.removed($0.genome) }
      let hashes = removed.map(BlendSpace.maskHash)
      var known: [Int: FitnessMeasure] = [:]
      var hit = [Bool](repeating: false, count: population.count)
      var misses: [Int] = []
      var firstMiss: [String: Int] = [:]
      for i in population.indices {
        if options.cache {
          if let m = cache.lookup(hashes[i]) {
            known[i] = m
            hit[i] = true
            continue
          }
          if firstMiss[hashes[i]] != nil {
            // Same masks as an earlier miss of this generation: a hit once that one is done.
            hit[i] = true
            continue
          }
          firstMiss[hashes[i]] = i
        }
        misses.append(i)
      }
      var done = 0
      func report() {
        progress(
          BlendProgress(
            generation: generation, generations: options.generations,
            done: population.count - misses.count + done, population: population.count,
            best: bestSoFar?.fitness, mean: summaries.last?.mean))
      }
      report()
      let measured = try evaluate(
        misses.map { population[$0].genome },
        { n in
          done = n
          report()
        }, { halt(generation, done) })
      for (k, m) in zip(misses, measured) {
        known[k] = m
        if options.cache { cache.store(hashes[k], m) }
      }
      if options.cache {
        for i in population.indices where hit[i] && known[i] == nil {
          if let j = firstMiss[hashes[i]], let m = known[j] {
            known[i] = m
            cache.recordHit()
          }
        }
      }
      var evaluated: [BlendEvaluation] = []
      for i in population.indices {
        guard let m = known[i] else { continue }
        let e = BlendEvaluation(
          generation: generation, index: i, origin: population[i].origin,
          genome: population[i].genome, maskHash: hashes[i], measure: m,
          fitness: m.fitness(options.metric), cacheHit: hit[i])
        evaluated.append(e)
        if let best = bestSoFar, !e.measure.isFitter(than: best.measure, options.metric) {
          continue
        }
        bestSoFar = e
      }
      lineage += evaluated
      if let best = bestSoFar, !evaluated.isEmpty {
        summaries.append(
          GenerationSummary(
            generation: generation, best: best.fitness,
            mean: evaluated.map(\.fitness).reduce(0, +) / Double(evaluated.count),
            evaluated: measured.count))
      }
      if measured.count < misses.count {
        stopped = true
        break
      }
      previous = evaluated
      if generation + 1 < options.generations, halt(generation, measured.count) {
        stopped = true
        break
      }
    }
    guard let best = bestSoFar else {
      throw BlendError.stoppedBeforeFirstEvaluation
    }
    let bestOneHot = lineage.filter { $0.generation == 0 && $0.origin.hasPrefix("one-hot") }
      .reduce(nil as BlendEvaluation?) { current, e in
        guard let current, !e.measure.isFitter(than: current.measure, options.metric) else {
          return e
        }
        return current
      }
    return BlendSearchResult(
      space: space, options: options, best: best, bestOneHot: bestOneHot, lineage: lineage,
      generations: summaries, cacheLookups: cache.lookups, cacheHits: cache.hits,
      stoppedEarly: stopped, stoppedAt: stopped ? stoppedAt : nil)
  }

  /// One-hots, uniform, then random individuals; truncated to the population.
  func initialPopulation(_ r: inout SeededRNG) -> [(genome: BlendGenome, origin: String)] {
    var result: [(BlendGenome, String)] = space.oneHots.map {
      ($0.genome, "one-hot " + $0.criterion)
    }
    if !result.contains(where: { $0.0 == space.uniform }) {
      result.append((space.uniform, "uniform"))
    }
    var init_ = r.derived("initial")
    while result.count < options.population {
      result.append((BlendGenome(space.genes.map { _ in init_.nextDouble() }), "random"))
    }
    return Array(result.prefix(options.population))
  }

  /// Elites, then tournament-crossover-mutation children.
  func nextPopulation(_ previous: [BlendEvaluation], _ r: inout SeededRNG) -> [(
    genome: BlendGenome, origin: String
  )] {
    let order = previous.indices.sorted { a, b in
      let (x, y) = (previous[a].measure, previous[b].measure)
      return x.isFitter(than: y, options.metric) || (!y.isFitter(than: x, options.metric) && a < b)
    }
    var rank = [Int](repeating: 0, count: previous.count)
    for (position, i) in order.enumerated() { rank[i] = position }
    var next: [(BlendGenome, String)] = order.prefix(options.elites).map {
      (previous[$0].genome, "elite")
    }
    func tournament() -> BlendGenome {
      var winner = r.nextInt(below: previous.count)
      for _ in 1..<max(1, options.tournament) {
        let c = r.nextInt(below: previous.count)
        if rank[c] < rank[winner] { winner = c }
      }
      return previous[winner].genome
    }
    while next.count < options.population {
      let a = tournament()
      let b = tournament()
      var child = a.alphas
      for k in child.indices where r.nextDouble() < options.crossover { child[k] = b.alphas[k] }
      for k in child.indices where r.nextDouble() < options.mutationRate {
        child[k] = min(1, max(0, child[k] + options.mutationSigma * Double(r.nextNormal())))
      }
      next.append((BlendGenome(child), "offspring"))
    }
    return next
  }
}
