import CommandRuntime
import NeuralNet
import Pruning
import Testing

/// `plan … target=latency latency=lat like=p1`: the target is the predicted latency another
/// plan reaches. The latency model here is made by hand, not measured: every conv's time is
/// its multiply-adds (kept in × kept out × output map × kernel²) in nanoseconds, with no
/// channel block and nothing outside the convolutions, so the predicted reduction of a plan is
/// exactly the share of conv multiply-adds it removes, counted on the pruned network's own
/// conv shapes.
@Suite("like= at the prompt")
struct LatencyLikeTests {
  /// The hand-made model of `network` (grids of 1 and the full count: a bilinear time is
  /// interpolated exactly).
  static func syntheticLatency(_ network: Network) throws -> LatencyModel {
    let wiring = try LatencyProfiler.wiring(of: network)
    var layers: [String: LayerLatency] = [:]
    for (_, s) in try LatencyProfiler.shapes(of: network) {
      let inGrid = s.readsImage ? [s.inChannels] : [1, s.inChannels]
      let outGrid = [1, s.outChannels]
      let nanoseconds = Double(s.outHeight * s.outWidth * s.kernel * s.kernel) * 1e-9
      layers[s.key] = LayerLatency(
        shape: s, inGrid: inGrid, outGrid: outGrid,
        seconds: inGrid.map { ci in outGrid.map { co in Double(ci * co) * nanoseconds } })
    }
    func model(measured: Double) -> LatencyModel {
      LatencyModel(
        model: network.name, fingerprint: network.fingerprint,
        environment: LatencyEnvironment(cpu: "hand-made", oneDNN: "-", engine: "-"), batch: 1,
        threads: 1, block: 1, convs: wiring.convs, layers: layers, measuredSeconds: measured,
        groupChannels: wiring.groupChannels)
    }
    // Measured = the convolutions' time at full width: nothing outside them.
    return model(measured: model(measured: 0).convSeconds(removed: [:]))
  }

  /// Multiply-adds of every conv of `network`, from its own conv shapes.
  static func convMACs(_ network: Network) throws -> Double {
    try LatencyProfiler.shapes(of: network).reduce(0) { total, entry in
      let s = entry.shape
      return total
        + Double(s.inChannels * s.outChannels * s.outHeight * s.outWidth * s.kernel * s.kernel)
    }
  }

  /// The share of conv multiply-adds `plan` removes from `network`.
  static func removedShare(_ plan: PruningPlan, of network: Network) throws -> Double {
    1 - (try convMACs(Surgery.prune(network, with: plan))) / (try convMACs(network))
  }

  @Test("like=p1 asks p1's predicted latency reduction and lands within the tolerance of it")
  func likeReachesTheReference() throws {
    let (runtime, _) = try Fixtures.runtime()
    Fixtures.run(runtime, [Fixtures.data, "m = model vgg-small for d"])
    let network = try #require(runtime.environment["m"]?.value as? ModelValue).network
    try runtime.bind("lat", LatencyValue(model: try Self.syntheticLatency(network)))
    let outcomes = Fixtures.run(
      runtime,
      [
        "p1 = plan m by l1 ratio=40%",
        "p2 = plan m by l1 alloc=global target=latency latency=lat like=p1",
        "p3 = plan m by l1 on d alloc=balanced target=latency latency=lat like=p1 images=32",
      ])
    #expect(outcomes[1].renderedText.contains("like=: the reference plan's predicted latency"))
    let p1 = try #require(runtime.environment["p1"]?.value as? PlanValue).plan
    let reference = try Self.removedShare(p1, of: network)
    // 40% of every group's channels: about 1 − 0.6² of the multiply-adds between groups.
    #expect(reference > 0.55 && reference < 0.65, "\(reference)")
    for name in ["p2", "p3"] {
      let plan = try #require(runtime.environment[name]?.value as? PlanValue)
      #expect(abs(plan.plan.ratio - reference) < 1e-9, "\(name): asked \(plan.plan.ratio)")
      let reached = try Self.removedShare(plan.plan, of: network)
      #expect(
        reached >= reference - 1e-9
          && reached <= reference + AllocationStrategy.balancedTolerance,
        "\(name): reached \(reached), the reference \(reference)")
      let predicted = try #require(plan.targetReached)
      #expect(predicted.target == .latency && abs(predicted.reached - reached) < 1e-9)
      #expect(plan.warnings.isEmpty, "\(name): \(plan.warnings)")
    }
  }

  /// Whether the cell failed the checker (nothing ran).
  static func isCheckError(_ outcome: CellOutcome) -> Bool {
    if case .error(.check, _) = outcome.status { return true }
    return false
  }

  @Test("like= without target=latency, or with ratio=, is refused before anything runs")
  func checkerRefuses() throws {
    let (runtime, _) = try Fixtures.runtime()
    Fixtures.run(runtime, [Fixtures.data, Fixtures.model, "p1 = plan m by l1 ratio=40%"])
    let network = try #require(runtime.environment["m"]?.value as? ModelValue).network
    try runtime.bind("lat", LatencyValue(model: try Self.syntheticLatency(network)))
    let noTarget = runtime.execute("q = plan m by l1 alloc=global latency=lat like=p1")
    #expect(Self.isCheckError(noTarget))
    #expect(
      noTarget.renderedText.contains(
        "like= has no use with target=flops; leave it out (it applies with target=latency)"),
      "\(noTarget.renderedText)")
    let both = runtime.execute(
      "q = plan m by l1 alloc=global target=latency latency=lat like=p1 ratio=30%")
    #expect(Self.isCheckError(both))
    #expect(
      both.renderedText.contains("like= and ratio= cannot be written together"),
      "\(both.renderedText)")
    #expect(runtime.environment["q"] == nil)
  }

  @Test("like= refuses a reference plan of another model, and one that removes nothing")
  func runtimeRefuses() throws {
    let (runtime, _) = try Fixtures.runtime()
    Fixtures.run(
      runtime,
      [
        Fixtures.data, Fixtures.model, "other = model vgg-small for d width=0.5",
        "po = plan other by l1 ratio=40%",
      ])
    let network = try #require(runtime.environment["m"]?.value as? ModelValue).network
    try runtime.bind("lat", LatencyValue(model: try Self.syntheticLatency(network)))
    let other = runtime.execute(
      "q = plan m by l1 alloc=global target=latency latency=lat like=po")
    #expect(other.status != .ok)
    #expect(other.renderedText.contains("the reference plan was made for"), "\(other.renderedText)")
    // A plan that removes nothing (a 0.1% uniform cut rounds to no channel in groups of 8–32).
    Fixtures.run(runtime, ["p0 = plan m by l1 ratio=0.1%"])
    let nothing = runtime.execute(
      "q = plan m by l1 alloc=global target=latency latency=lat like=p0")
    #expect(nothing.status != .ok)
    #expect(nothing.renderedText.contains("nothing to match"), "\(nothing.renderedText)")

    // A flat model (every cell the same time, as a busy machine measures one): a plan that
    // cuts 40% is predicted no faster — its summary says 0.0%, not "-0.0%" — and like=
    // refuses it, naming where such a model comes from.
    var flat = try Self.syntheticLatency(network)
    flat.layers = flat.layers.mapValues { layer in
      var l = layer
      l.seconds = layer.seconds.map { $0.map { _ in 0.001 } }
      return l
    }
    try runtime.bind("flat", LatencyValue(model: flat))
    Fixtures.run(runtime, ["pf = plan m by l1 ratio=40% latency=flat"])
    let pf = try #require(runtime.environment["pf"]?.value as? PlanValue)
    #expect(pf.summary.contains("predicted latency 0.0% (estimated)"), "\(pf.summary)")
    let busy = runtime.execute(
      "q = plan m by l1 alloc=global target=latency latency=flat like=pf")
    #expect(busy.status != .ok)
    #expect(
      busy.renderedText.contains("changes the predicted latency by 0.0%: there is nothing to match")
        && busy.renderedText.contains("profiled on a busy machine"), "\(busy.renderedText)")
    #expect(runtime.environment["q"] == nil)
  }
}
