import ClusterExecution
import CommandLanguage
import NeuralNet
import Pruning
import Render
import TensorCore

extension CommandDefinition {
  /// `b = blend m from k on d ratio=50%`: an evolutionary search for calibration factors.
  public static let blend = CommandDefinition(
    CommandSignature(
      name: "blend",
      parameters: [
        ParameterSpec("model", .model, summary: "the model the clusters were made on"),
        ParameterSpec(
          "clusters", .clusters, .preposition("from"),
          summary: "clusters and candidates (`cluster`)"),
        ParameterSpec(
          "data", .dataset, .preposition("on"),
          summary: "its training split gives the fitness and recalibration images"),
        ParameterSpec(
          "ratio", .number, .keyword, default: .value(.number(0.5, isPercent: true)),
          range: .halfOpen(0, 1), summary: "pruning ratio the fitness is measured at (as plan)"),
        ParameterSpec(
          "alloc", .text, .keyword, default: .value(.symbol("uniform")),
          symbols: ["uniform", "global", "balanced", "clr"],
          summary: "channels per group, fixed once on the uniform blend (as plan)"),
        ParameterSpec(
          "population", .number, .keyword, default: .value(.number(32)), range: .closed(2, 10_000),
          integerOnly: true, summary: "individuals per generation"),
        ParameterSpec(
          "generations", .number, .keyword, default: .value(.number(30)),
          range: .closed(1, 10_000), integerOnly: true,
          summary: "generations, the first included"),
        ParameterSpec(
          "elites", .number, .keyword, default: .value(.number(4)), range: .closed(0, 10_000),
          integerOnly: true, summary: "fittest individuals kept unchanged"),
        ParameterSpec(
          "tournament", .number, .keyword, default: .value(.number(3)), range: .closed(1, 10_000),
          integerOnly: true, summary: "tournament size of parent selection"),
        ParameterSpec(
          "crossover", .number, .keyword, default: .value(.number(0.5)), range: .closed(0, 1),
          summary: "per-gene probability of the second parent's α (uniform crossover)"),
        ParameterSpec(
          "mutation", .number, .keyword, default: .value(.number(0.1)), range: .closed(0, 1),
          summary: "per-gene probability of a Gaussian mutation"),
        ParameterSpec(
          "sigma", .number, .keyword, default: .value(.number(0.1)), range: .closed(0, 10),
          summary: "standard deviation of the Gaussian mutation"),
        ParameterSpec(
          "images", .number, .keyword, default: .value(.number(1024)), range: .atLeast(1),
          integerOnly: true, summary: "fitness images, held out of the training split"),
        ParameterSpec(
          "recalibrate", .number, .keyword, default: .value(.number(512)), range: .atLeast(0),
          integerOnly: true, summary: "training images to re-estimate batch norm on (0: off)"),
        ParameterSpec(
          "fitness", .text, .keyword, default: .value(.symbol("accuracy")),
          symbols: ["accuracy", "loss"], summary: "what the search maximises (loss: its negative)"),
        ParameterSpec(
          "search", .text, .keyword, default: .value(.symbol("ea")), symbols: ["ea", "uniform"],
          summary: "ea: the genetic search; uniform: every α equal, measured once, no search"),
        ParameterSpec(
          "share", .text, .keyword, default: .value(.symbol("group")),
          symbols: ["group", "stage", "network"],
          summary: "one α per group and candidate, per stage, or per network"),
      ] + ParameterSpec.scoringImages + ParameterSpec.execution,
      result: .criterion,
      summary:
        "Search calibration factors α per group and candidate (genetic algorithm) so that "
        + "pruning by Σ α·rank gives the fittest network; returns a criterion "
        + "(search=uniform: every α equal, no search).",
      example: "b = blend m from k on d ratio=50% population=16 generations=8",
      constraints: [
        .atMost("elites", "population"), .atMost("tournament", "population"),
        .onlyWith(
          ["population", "generations", "elites", "tournament", "crossover", "mutation", "sigma"],
          "search", "ea"),
      ]),
    group: .pruning, showsResult: true
  ) { arguments, context in
    let model = try arguments.model("model")
    let network = model.network
    let clusters = try arguments.required("clusters", as: ClustersValue.self).clusters
    try FitnessExecution.check(arguments, context)
    let data = try arguments.dataset("data").dataset
    do {
      try clusters.validate(for: network)
    } catch {
      throw RuntimeError.invalidArgument(
        command: "blend", name: "clusters", problem: "\(error)")
    }
    var options = EvolutionOptions()
    options.population = try arguments.int("population")
    options.generations = try arguments.int("generations")
    options.elites = try arguments.int("elites")
    options.tournament = try arguments.int("tournament")
    options.crossover = try arguments.double("crossover")
    options.mutationRate = try arguments.double("mutation")
    options.mutationSigma = try arguments.double("sigma")
    options.metric = FitnessMetric(rawValue: try arguments.text("fitness")) ?? .accuracy
    try options.validate()
    var images = try arguments.int("images")
    var recalibrate = try arguments.int("recalibrate")
    if context.options.dataLimit != nil, images + recalibrate > data.train.count {
      // A --limit run (a quick check of a script) shrinks the data; scale the images with it.
      let scale = Double(data.train.count) / Double(images + recalibrate)
      images = max(1, Int(Double(images) * scale * 0.75))
      recalibrate = Int(Double(recalibrate) * scale * 0.25)
      // Silent, as other commands' image counts are under --limit; the value records the
      // counts used (show b, explain b).
    }
    guard images + recalibrate <= data.train.count else {
      throw RuntimeError.invalidArgument(
        command: "blend", name: "images",
        problem: "images=\(images) and recalibrate=\(recalibrate) need \(images + recalibrate) "
          + "training images; \(data.name) has \(data.train.count) — lower them")
    }
    let sharing = BlendSharing(rawValue: try arguments.text("share")) ?? .group
    let ratio = try arguments.double("ratio")
    let alloc = try arguments.text("alloc")

    // The candidates' scores, on the training split for data-driven ones.
    let scores = try CriterionRegistry.standard.score(
      clusters.candidateNames,
      input: ScoringInput(
        network: network, data: data.train, batches: try arguments.int("batches"),
        batchSize: try arguments.int("batch"), context: context.compute,
        rng: context.rng.derived("score")))
    // Channels per group: the allocation applied once to the uniform blend's scores.
    let probe = try BlendSpace(
      network: network, clusters: clusters, scores: scores, removedCounts: [:], sharing: sharing)
    let uniform = BlendedCriterion(space: probe, genome: probe.uniform, network: network)
    var planOptions = PlanOptions()
    switch alloc {
    case "global": planOptions.allocation = .global(normalization: .rank)
    case "balanced": planOptions.allocation = .balanced(target: .flops, granularity: nil)
    case "clr": planOptions.allocation = .clr(lambda: nil)
    default: planOptions.allocation = .uniform
    }
    let reference = try Planner(network: network).plan(
      scores: try uniform.score(
        ScoringInput(network: network, context: context.compute, rng: context.rng)),
      ratio: ratio, options: planOptions,
      calibration: Calibration(
        split: data.train, images: min(1280, data.train.count), context: context.compute),
      rng: context.rng.derived("plan"))
    let counts = Dictionary(
      uniqueKeysWithValues: reference.groups.map { ($0.group, $0.removed.count) })
    let space = try BlendSpace(
      network: network, clusters: clusters, scores: scores, removedCounts: counts,
      sharing: sharing)

    let fitnessData = try FitnessData.split(
      data.train, images: images, recalibration: recalibrate, batchSize: 128,
      rng: context.rng.derived("blend.images"))
    let execution = try FitnessExecution.blend(
      arguments, context, network: network, space: space, data: fitnessData)
    // The best individual as a criterion value, its details shown.
    func bind(_ result: BlendSearchResult, name: String) -> CriterionValue {
      let criterion = BlendedCriterion(
        space: space, genome: result.best.genome, network: network, name: name)
      let value = CriterionValue(
        blend: BlendRecord(
          criterion: criterion, result: result, model: network.name, ratio: ratio,
          allocation: alloc, images: images, recalibrate: fitnessData.recalibration?.count ?? 0))
      for item in value.details() { context.emit(item) }
      return value
    }
    if try arguments.text("search") == "uniform" {
      // The uniform blend: the search's uniform individual, measured once, bound as a criterion.
      // One evaluation: a Ctrl-C is seen between statements, so nothing is half-bound here.
      let result = try Self.interruptible {
        try UniformBlend.run(space: space, metric: options.metric) {
          genomes, done, stop in
          try execution.measure(.genomes(genomes), command: "blend", done: done, stop: stop)
        }
      }
      if let line = execution.summary() { context.emit(.text(line)) }
      execution.finish()
      return bind(result, name: "uniform-blend")
    }
    let start = MonotonicClock.seconds()
    var last: ProgressUpdate?
    let total = options.population * options.generations
    // A replay of a blend that was stopped when recorded stops at the same point.
    let replayStop = context.recordedStop().flatMap(BlendStopPoint.init(position:))
    let result = try Self.interruptible {
      try EvolutionarySearch(space: space, options: options).run(
        rng: context.rng.derived("blend.search"), stopAt: replayStop,
        progress: { p in
          let completed = p.generation * p.population + p.done
          let elapsed = MonotonicClock.seconds() - start
          var fields: [ProgressField] = []
          if let best = p.best { fields.append(.metric("best", best)) }
          if let mean = p.mean { fields.append(.metric("mean", mean)) }
          let update = ProgressUpdate(
            label: "generation \(p.generation + 1)/\(p.generations)", completed: completed,
            total: total, elapsed: elapsed,
            eta: ProgressBar.eta(completed: completed, total: total, elapsed: elapsed),
            fields: fields, finished: completed == total)
          last = update
          context.progress(update)
        },
        stop: { context.shouldStop }
      ) { genomes, done, stop in
        try execution.measure(.genomes(genomes), command: "blend", done: done, stop: stop)
      }
    }
    if let line = execution.summary() { context.emit(.text(line)) }
    execution.finish()
    if result.stoppedEarly {
      context.progressStopped(last)
      if let point = result.stoppedAt { context.stoppedEarly(at: point.position) }
      context.warn(
        "stopped early after \(result.lineage.count) individuals "
          + "(\(result.stoppedAt.map { "\($0)" } ?? "")); bound the best so far "
          + "(a replay stops at the same point)")
    }
    return bind(result, name: "blend")
  }

  /// Runs a search; a Ctrl-C before its first measurement is an interruption like any other
  /// command's (the cell is marked interrupted, nothing is bound), not an error.
  static func interruptible<T>(_ body: () throws -> T) throws -> T {
    do {
      return try body()
    } catch BlendError.stoppedBeforeFirstEvaluation {
      throw RuntimeError.interrupted(command: "blend")
    }
  }
}
