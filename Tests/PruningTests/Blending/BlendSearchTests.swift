import Datasets
import NeuralNet
import TensorCore
import Testing

@testable import Pruning

/// The blend search on a tiny ResNet-20 (widths 4/8/16, option-A shortcuts, residual streams)
/// with weight-only criteria and noise images: exactness of the one-hot individuals, the
/// fast evaluation path against surgery, the cache, and the elitist guarantee.
@Suite struct BlendSearchTests {
  static let criteria = ["l1", "fpgm", "bn"]

  struct Setup {
    var net: Network
    var scores: [LayerScores]
    var clusters: CriteriaClusters
    var counts: [String: Int]
    var space: BlendSpace
  }

  /// Every criterion its own cluster (k = 3), so each is a candidate in every group.
  static func setup(ratio: Double = 0.5, sharing: BlendSharing = .group) throws -> Setup {
    let net = try CriteriaFixtures.tinyResNet()
    let scores = try CriterionRegistry.standard.score(
      criteria, input: CriteriaFixtures.input(net))
    let sim = try CriteriaSimilarity(scores: scores, network: net)
    let clusters = try CriteriaClusters(
      similarity: sim, layout: try GroupLayout(network: net),
      needs: [.weights, .weights, .weights], options: ClusterOptions(clusters: 3))
    let plan = try Planner(network: net).plan(scores: scores[0], ratio: ratio)
    let counts = Dictionary(uniqueKeysWithValues: plan.groups.map { ($0.group, $0.removed.count) })
    let space = try BlendSpace(
      network: net, clusters: clusters, scores: scores, removedCounts: counts, sharing: sharing)
    return Setup(net: net, scores: scores, clusters: clusters, counts: counts, space: space)
  }

  static func data(_ net: Network) throws -> FitnessData {
    let train = CriteriaFixtures.noise(count: 96, shape: net.inputShape, classes: 3, seed: 11)
    return try FitnessData.split(
      train, images: 40, recalibration: 16, batchSize: 8, rng: SeededRNG(seed: 4))
  }

  @Test func oneHotReproducesTheSingleCriterionPlanExactly() throws {
    let s = try Self.setup()
    let planner = try Planner(network: s.net)
    for (c, scores) in zip(Self.criteria, s.scores) {
      let plan = try planner.plan(scores: scores, ratio: 0.5)
      let removed = s.space.removed(s.space.oneHot(c))
      #expect(removed == plan.groups.map(\.removed), "one-hot \(c)")
      // The blended criterion of the one-hot genome plans the same.
      let blended = BlendedCriterion(space: s.space, genome: s.space.oneHot(c), network: s.net)
      let viaCriterion = try planner.plan(
        scores: try blended.score(CriteriaFixtures.input(s.net)), ratio: 0.5)
      #expect(viaCriterion.groups.map(\.removed) == plan.groups.map(\.removed), "criterion \(c)")
    }
    #expect(s.space.oneHots.map(\.criterion) == Self.criteria)
  }

  @Test func oneHotIsExactOnAnotherNetworkOfTheSameGraphToo() throws {
    let s = try Self.setup()
    var other = s.net
    other.parameters["conv1.weight"] = Tensor(
      shape: other.parameters["conv1.weight"]!.shape,
      scalars: other.parameters["conv1.weight"]!.scalars.map { $0 * 1.5 + 0.01 })
    let blended = BlendedCriterion(space: s.space, genome: s.space.oneHot("fpgm"), network: s.net)
    let planner = try Planner(network: other)
    let fpgm = try FPGMCriterion().score(CriteriaFixtures.input(other))
    let expected = try planner.plan(scores: fpgm, ratio: 0.5)
    let got = try planner.plan(scores: try blended.score(CriteriaFixtures.input(other)), ratio: 0.5)
    #expect(got.groups.map(\.removed) == expected.groups.map(\.removed))
  }

  @Test func templateEqualsSurgery() throws {
    let s = try Self.setup()
    var template = try PrunedTemplate(network: s.net, removedCounts: s.counts)
    var rng = SeededRNG(seed: 21)
    let ctx = criteriaContext
    let batch = 4
    let images = (0..<(batch * s.net.inputShape.reduce(1, *))).map { _ in rng.nextNormal() }
    for genome in [s.space.oneHot("l1"), s.space.oneHot("bn"), s.space.uniform]
      + (0..<3).map({ _ in BlendGenome(s.space.genes.map { _ in rng.nextDouble() }) })
    {
      let removed = s.space.removed(genome)
      try template.fill(removed: removed)
      let plan = s.space.plan(
        removed: removed, network: s.net, criterion: "x", ratio: 0.5, strategy: .uniform)
      let reference = try Surgery.prune(s.net, with: plan)
      #expect(template.network.nodes == reference.nodes)
      for path in reference.parameterPaths {
        #expect(template.network.parameters[path]!.scalars == reference.parameters[path]!.scalars)
      }
      let (a, b) = try ctx.perform {
        var x = template.network
        var y = reference
        // One executor for the template (reused across genomes would be the fast path).
        let ex = try Executor(network: x, batch: batch, training: false, context: ctx)
        let ey = try Executor(network: y, batch: batch, training: false, context: ctx)
        let la = try images.withUnsafeBufferPointer { try ex.forward(&x, images: $0) }.scalars
        let lb = try images.withUnsafeBufferPointer { try ey.forward(&y, images: $0) }.scalars
        return (la, lb)
      }
      #expect(a == b)
    }
  }

  @Test func evaluatorReusesItsExecutorsAndMatchesAFreshEvaluation() throws {
    let s = try Self.setup()
    let data = try Self.data(s.net)
    let evaluator = try BlendFitnessEvaluator(
      network: s.net, space: s.space, data: data, context: criteriaContext)
    let genomes = [s.space.oneHot("l1"), s.space.oneHot("fpgm"), s.space.oneHot("l1")]
    let measures = try evaluator.evaluate(genomes)
    #expect(measures[0] == measures[2])
    // A fresh evaluator (fresh executors) on the second genome alone gives the same.
    let fresh = try BlendFitnessEvaluator(
      network: s.net, space: s.space, data: data, context: criteriaContext)
    #expect(try fresh.evaluate([genomes[1]])[0] == measures[1])
    // And so does the slow path: surgery, recalibration, evaluation, each built anew.
    let plan = s.space.plan(
      removed: s.space.removed(genomes[1]), network: s.net, criterion: "x", ratio: 0.5,
      strategy: .uniform)
    var pruned = try Surgery.prune(s.net, with: plan)
    let metrics = try criteriaContext.perform {
      let train = try Executor(network: pruned, batch: 8, training: true, context: criteriaContext)
      try train.recalibrateBatchNorm(&pruned, on: data.recalibration!, batches: 2)
      let ex = try Executor(network: pruned, batch: 8, training: false, context: criteriaContext)
      return try ex.evaluate(&pruned, on: data.images, count: data.images.count)
    }
    #expect(abs(metrics.loss - measures[1].loss) < 1e-9)
    #expect(metrics.accuracy == measures[1].accuracy)
  }

  func search(_ s: Setup, cache: Bool, metric: FitnessMetric = .loss) throws -> BlendSearchResult {
    var options = EvolutionOptions()
    options.population = 6
    options.generations = 3
    options.elites = 2
    options.metric = metric
    options.cache = cache
    let evaluator = try BlendFitnessEvaluator(
      network: s.net, space: s.space, data: try Self.data(s.net), context: criteriaContext)
    return try EvolutionarySearch(space: s.space, options: options).run(
      rng: SeededRNG(seed: 8)
    ) { genomes, done, stop in try evaluator.evaluate(genomes, stop: stop, done: done) }
  }

  @Test func searchIsNeverWorseThanTheBestOneHotAndTheCacheChangesNothing() throws {
    let s = try Self.setup()
    let cached = try search(s, cache: true)
    let uncached = try search(s, cache: false)
    #expect(cached.lineage.count == 18)
    #expect(
      cached.lineage.filter { $0.generation == 0 }.map(\.origin).prefix(4)
        == ["one-hot l1", "one-hot fpgm", "one-hot bn", "uniform"])
    let oneHots = cached.lineage.filter { $0.origin.hasPrefix("one-hot") }
    #expect(oneHots.count == 3)
    for o in oneHots { #expect(cached.best.measure.loss <= o.measure.loss) }
    #expect(cached.bestOneHot != nil)
    // Elites come back unchanged: at least 2 hits per later generation.
    #expect(cached.cacheHits >= 4)
    #expect(cached.hitRate > 0)
    #expect(uncached.cacheHits == 0)
    #expect(cached.evaluationsRun < uncached.evaluationsRun)
    // Same individuals, same fitness, same best — with or without the cache.
    #expect(cached.lineage.map(\.genome) == uncached.lineage.map(\.genome))
    #expect(cached.lineage.map(\.measure) == uncached.lineage.map(\.measure))
    #expect(cached.best.genome == uncached.best.genome)
    // Best fitness per generation never drops (elitism).
    let bests = cached.generations.map(\.best)
    #expect(zip(bests, bests.dropFirst()).allSatisfy { $0 <= $1 })
    // A second run is identical, bit for bit.
    #expect(try search(s, cache: true) == cached)
  }

  @Test func stopBindsTheBestSoFar() throws {
    let s = try Self.setup()
    var options = EvolutionOptions()
    options.population = 6
    options.generations = 3
    options.elites = 2
    let evaluator = try BlendFitnessEvaluator(
      network: s.net, space: s.space, data: try Self.data(s.net), context: criteriaContext)
    var calls = 0
    let result = try EvolutionarySearch(space: s.space, options: options).run(
      rng: SeededRNG(seed: 8),
      stop: {
        calls += 1
        return calls > 3
      },
      evaluate: { genomes, done, stop in try evaluator.evaluate(genomes, stop: stop, done: done) })
    #expect(result.stoppedEarly)
    #expect(result.lineage.count == 3)
  }

  @Test func stopBeforeTheFirstEvaluationBindsNothing() throws {
    let s = try Self.setup()
    var options = EvolutionOptions()
    options.population = 6
    options.generations = 3
    options.elites = 2
    let evaluator = try BlendFitnessEvaluator(
      network: s.net, space: s.space, data: try Self.data(s.net), context: criteriaContext)
    #expect(throws: BlendError.stoppedBeforeFirstEvaluation) {
      try EvolutionarySearch(space: s.space, options: options).run(
        rng: SeededRNG(seed: 8), stop: { true },
        evaluate: { genomes, done, stop in
          try evaluator.evaluate(genomes, stop: stop, done: done)
        })
    }
    #expect(throws: BlendError.stoppedBeforeFirstEvaluation) {
      try UniformBlend.run(
        space: s.space, metric: options.metric, stop: { true },
        evaluate: { genomes, done, stop in
          try evaluator.evaluate(genomes, stop: stop, done: done)
        })
    }
  }

  @Test func badOptionsAreRefused() throws {
    var o = EvolutionOptions()
    o.population = 3
    #expect(throws: BlendError.self) { try o.validate() }
    o = EvolutionOptions()
    o.generations = 0
    #expect(throws: BlendError.self) { try o.validate() }
    let train = CriteriaFixtures.noise(count: 10, shape: [1, 8, 8], classes: 3, seed: 1)
    #expect(throws: BlendError.self) {
      try FitnessData.split(train, images: 20, recalibration: 0, rng: SeededRNG(seed: 1))
    }
  }

  @Test func clustersFromAnotherModelAreRefused() throws {
    let s = try Self.setup()
    let other = try CriteriaFixtures.singleConvNet(out: 8, bias: false)
    #expect(throws: BlendError.self) {
      try BlendSpace(
        network: other, clusters: s.clusters, scores: s.scores, removedCounts: [:],
        sharing: .group)
    }
  }

  @Test func sharingShortensTheGenome() throws {
    let byGroup = try Self.setup(sharing: .group).space
    let byStage = try Self.setup(sharing: .stage).space
    let whole = try Self.setup(sharing: .network).space
    #expect(whole.genes.count == 3)
    #expect(byStage.genes.count == 3 * 3)  // conv1 and stage 1 share 8×8 maps: 3 sizes
    #expect(byGroup.genes.count == 3 * byGroup.groups.count)
  }
}
