import CommandRuntime
import Pruning
import Testing

/// `plan … align=`, `profile`, `plan … target=latency latency=`, `compare … latency=` and the
/// explain topics, at the prompt.
@Suite("Alignment and latency at the prompt")
struct LatencyCommandTests {
  @Test("align=8 and align=auto round kept counts; show says what changed; bad values refused")
  func alignment() throws {
    let (runtime, _) = try Fixtures.runtime()
    Fixtures.run(runtime, [Fixtures.data, Fixtures.model])
    let outcome = runtime.execute("p = plan m by l1 ratio=30% align=8")
    #expect(outcome.status == .ok, "\(outcome.renderedText)")
    let plan = try #require(runtime.environment["p"]?.value as? PlanValue)
    let record = try #require(plan.plan.alignment)
    #expect(record.multiple == 8 && !record.automatic)
    for g in plan.plan.groups {
      let kept = g.channels - g.removed.count
      #expect(kept % 8 == 0 || kept == g.channels, "\(g.group): \(kept)")
    }
    let shown = runtime.execute("show p").renderedText
    #expect(shown.contains("aligned to multiples of 8"), "\(shown)")
    #expect(runtime.execute("q = plan m by l1 ratio=30% align=auto").status == .ok)
    let auto = try #require(runtime.environment["q"]?.value as? PlanValue)
    #expect(auto.plan.alignment?.multiple == 16 && auto.plan.alignment?.automatic == true)
    let bad = runtime.execute("r = plan m by l1 ratio=30% align=2.5")
    #expect(bad.status != .ok)
    #expect(bad.renderedText.contains("whole number"), "\(bad.renderedText)")
  }

  @Test("profile makes a latency model; target=latency and compare use it")
  func latency() throws {
    let (runtime, _) = try Fixtures.runtime()
    Fixtures.run(runtime, [Fixtures.data, Fixtures.model])
    let missing = runtime.execute("p = plan m by l1 ratio=30% alloc=global target=latency")
    #expect(missing.status != .ok)
    #expect(missing.renderedText.contains("profile m"), "\(missing.renderedText)")
    let profiled = runtime.execute("lat = profile m batch=4 points=2 repeats=1 cache=false")
    #expect(profiled.status == .ok, "\(profiled.renderedText)")
    let lat = try #require(runtime.environment["lat"]?.value as? LatencyValue)
    #expect(lat.model.convs.count == 6)
    #expect(lat.model.batch == 4)
    #expect(runtime.execute("show lat").renderedText.contains("ms per batch"))
    #expect(runtime.execute("plot lat").status == .ok)
    let planned = runtime.execute(
      "p = plan m by l1 ratio=20% alloc=global target=latency latency=lat")
    #expect(planned.status == .ok, "\(planned.renderedText)")
    let plan = try #require(runtime.environment["p"]?.value as? PlanValue)
    let reached = try #require(plan.targetReached)
    #expect(reached.target == .latency)
    // Reached, or every group at its floor (a warning says so).
    #expect(reached.reached >= 0.2 - 1e-9 || !plan.warnings.isEmpty, "\(reached)")
    Fixtures.run(runtime, ["m2 = prune m with p"])
    let compared = runtime.execute("compare m m2 on d latency=lat")
    #expect(compared.status == .ok, "\(compared.renderedText)")
    #expect(compared.renderedText.contains("prediction error"), "\(compared.renderedText)")
    let wrong = runtime.execute("q = plan m by l1 ratio=20% target=latency latency=lat")
    #expect(wrong.status != .ok)
    // align=latency: the block, neighbours chosen by the model; without a model, refused.
    let noModel = runtime.execute("a1 = plan m by l1 ratio=30% align=latency")
    #expect(noModel.status != .ok)
    #expect(noModel.renderedText.contains("profile m"), "\(noModel.renderedText)")
    #expect(runtime.environment["a1"] == nil)
    let fast = runtime.execute("a2 = plan m by l1 ratio=30% align=latency latency=lat")
    #expect(fast.status == .ok, "\(fast.renderedText)")
    let aligned = try #require(runtime.environment["a2"]?.value as? PlanValue)
    #expect(aligned.plan.alignment?.byLatency == true && aligned.plan.alignment?.multiple == 16)
    for g in aligned.plan.groups {
      let kept = g.channels - g.removed.count
      #expect(kept % 16 == 0 || kept == g.channels, "\(g.group): \(kept)")
    }
    #expect(runtime.execute("show a2").renderedText.contains("chosen by the latency model"))
    let gradual = runtime.execute("g1 = gradual m on d ratio=30% epochs=1 until=1 align=latency")
    #expect(gradual.status != .ok)
    #expect(gradual.renderedText.contains("one of: auto"), "\(gradual.renderedText)")
    #expect(runtime.environment["g1"] == nil)
    let word = runtime.execute("a3 = plan m by l1 ratio=30% align=fast")
    #expect(word.status != .ok)
    #expect(word.renderedText.contains("one of: auto, latency"), "\(word.renderedText)")
  }

  @Test("explain has profile, alignment and latency")
  func explainTopics() throws {
    let (runtime, _) = try Fixtures.runtime()
    Fixtures.run(runtime, [Fixtures.data, Fixtures.model])
    #expect(runtime.execute("explain profile").renderedText.contains("latency"))
    #expect(runtime.execute("explain latency").renderedText.contains("target=latency"))
    let alignment = runtime.execute("explain alignment m").renderedText
    #expect(alignment.contains("padded to"), "\(alignment)")
  }
}
