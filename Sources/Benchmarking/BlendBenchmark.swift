import Datasets
import NeuralNet
import Pruning
import TensorCore

/// Times the blend search's hot loop (`shears bench`, case `blend`): vgg-small on 1×28×28
/// (seeded weights), criteria l1, l2, fpgm, bn clustered at ρ ≥ 0.9, 50% uniform, fitness
/// = −loss on 1024 synthetic images (no recalibration, so the loop is evaluation alone),
/// population 16 × 8 generations. Reports evaluations per second, the cache hit rate, the total
/// seconds, and the plain inference throughput of the same pruned shape, so that the loop's
/// overhead beyond the forward passes shows as `loopEfficiency` (goal ≥ 0.85).
public enum BlendBenchmark {
  /// The measurements.
  public struct Figures: Codable, Sendable, Hashable {
    /// Network and input.
    public var network: String
    /// Fitness images per evaluation.
    public var images: Int
    /// Population × generations.
    public var population: Int
    /// Generations.
    public var generations: Int
    /// Individuals in the lineage.
    public var individuals: Int
    /// Evaluations that ran the network (cache misses).
    public var evaluations: Int
    /// Cache hits over lookups.
    public var cacheHitRate: Double
    /// Seconds of the whole case: scoring, clustering, allocation, search.
    public var totalSeconds: Double
    /// Seconds of the search alone.
    public var searchSeconds: Double
    /// Evaluations per second of search.
    public var evaluationsPerSecond: Double
    /// Images per second through the evaluation loop (median of 5 evaluations, timed in
    /// alternation with the plain passes).
    public var loopImagesPerSecond: Double
    /// Plain inference images per second of the pruned network (same batch, same images; median
    /// of 5 passes).
    public var plainInferenceImagesPerSecond: Double
    /// loop / plain.
    public var loopEfficiency: Double
  }

  /// Runs the case on `threads` threads.
  public static func run(
    threads: Int, convolution: ConvolutionAlgorithm = .default, images: Int = 1024,
    population: Int = 16, generations: Int = 8
  ) throws -> Figures {
    let t0 = MonotonicClock.seconds()
    let context = try ComputeContext(threads: threads, convolution: convolution)
    var rng = SeededRNG(seed: 2026)
    let net = try ModelZoo.make(
      "vgg-small", options: ModelOptions(inputChannels: 1, inputSize: 28), rng: &rng)
    let pixels = (0..<(images * 28 * 28)).map { _ in rng.nextNormal() }
    let labels = (0..<images).map { _ in Int32(rng.nextInt(below: 10)) }
    let split = DataSplit(images: pixels, labels: labels, channels: 1, height: 28, width: 28)
    let names = ["l1", "l2", "fpgm", "bn"]
    let scores = try CriterionRegistry.standard.score(
      names, input: ScoringInput(network: net, context: context, rng: rng.derived("score")))
    let clusters = try CriteriaClusters(
      similarity: try CriteriaSimilarity(scores: scores, network: net),
      layout: try GroupLayout(network: net), needs: names.map { _ in .weights })
    let plan = try Planner(network: net).plan(scores: scores[0], ratio: 0.5)
    let counts = Dictionary(uniqueKeysWithValues: plan.groups.map { ($0.group, $0.removed.count) })
    let space = try BlendSpace(
      network: net, clusters: clusters,
      scores: scores.filter { clusters.candidateNames.contains($0.criterion) },
      removedCounts: counts, sharing: .group)
    let data = FitnessData(images: split, recalibration: nil, batchSize: 128)
    let evaluator = try BlendFitnessEvaluator(
      network: net, space: space, data: data, context: context)
    var options = EvolutionOptions()
    options.population = population
    options.generations = generations
    options.metric = .loss
    let s0 = MonotonicClock.seconds()
    let result = try EvolutionarySearch(space: space, options: options).run(
      rng: SeededRNG(seed: 7),
      evaluate: { genomes, done, stop in try evaluator.evaluate(genomes, stop: stop, done: done) })
    let searchSeconds = MonotonicClock.seconds() - s0
    let totalSeconds = MonotonicClock.seconds() - t0
    // The loop against plain inference of the same pruned shape over the same images, timed
    // in alternation (the machine's load hits both alike): one evaluation of a fresh genome's
    // masks (weights copied in, forward passes) against one plain pass, 5 of each, medians.
    var pruned = try evaluator.prunedNetwork(result.best.genome)
    let plainExecutor = try context.perform {
      try Executor(network: pruned, batch: 128, training: false, context: context)
    }
    var plainTimes: [Double] = []
    var loopTimes: [Double] = []
    let genomes = result.lineage.filter { !$0.cacheHit }.map(\.genome)
    for i in 0..<5 {
      var t = MonotonicClock.seconds()
      _ = try evaluator.evaluate([genomes[i % genomes.count]])
      loopTimes.append(MonotonicClock.seconds() - t)
      t = MonotonicClock.seconds()
      _ = try context.perform { try plainExecutor.evaluate(&pruned, on: split, count: images) }
      plainTimes.append(MonotonicClock.seconds() - t)
    }
    func median(_ xs: [Double]) -> Double { xs.sorted()[xs.count / 2] }
    let plain = Double(images) / median(plainTimes)
    let loop = Double(images) / median(loopTimes)
    return Figures(
      network: "vgg-small 1×28×28", images: images, population: population,
      generations: generations, individuals: result.lineage.count,
      evaluations: result.evaluationsRun, cacheHitRate: result.hitRate,
      totalSeconds: totalSeconds, searchSeconds: searchSeconds,
      evaluationsPerSecond: Double(result.evaluationsRun) / searchSeconds,
      loopImagesPerSecond: loop, plainInferenceImagesPerSecond: plain,
      loopEfficiency: loop / plain)
  }
}
