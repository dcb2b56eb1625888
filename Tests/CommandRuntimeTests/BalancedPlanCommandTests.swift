import CommandRuntime
import Testing

/// `plan … alloc=balanced`: `mode=` and `step=` reach the engine, `show` prints target vs
/// reached, and an unreachable target warns at once and in `show`.
@Suite("Balanced plans at the prompt")
struct BalancedPlanCommandTests {
  @Test("mode=sequential step=2 reaches the target; show prints target vs reached")
  func sequentialFromTheShell() throws {
    let (runtime, _) = try Fixtures.runtime()
    Fixtures.run(runtime, [Fixtures.data, Fixtures.model])
    let outcome = runtime.execute(
      "p = plan m by l1 ratio=40% alloc=balanced mode=sequential step=2 on d images=32")
    #expect(outcome.status == .ok, "\(outcome.renderedText)")
    let plan = try #require(runtime.environment["p"]?.value as? PlanValue)
    let reached = try #require(plan.targetReached)
    // At least the target; one step of 2 channels of this tiny network weighs a few points.
    #expect(reached.reached >= 0.4 && reached.reached <= 0.45, "\(reached)")
    let shown = runtime.execute("show p").renderedText
    #expect(shown.contains("target: FLOPs -40.0%, reached -"), "\(shown)")
    #expect(shown.contains("sequential measurement, step 2"))
  }

  @Test("a target the floors keep out of reach warns on the value and in show")
  func unreachableWarns() throws {
    let (runtime, _) = try Fixtures.runtime()
    Fixtures.run(runtime, [Fixtures.data, Fixtures.model])
    let outcome = runtime.execute(
      "p = plan m by l1 ratio=90% alloc=balanced floor=6 on d images=16")
    #expect(outcome.status == .ok)
    #expect(outcome.renderedText.contains("out of reach"), "\(outcome.renderedText)")
    let plan = try #require(runtime.environment["p"]?.value as? PlanValue)
    #expect(plan.warnings.count == 1)
    #expect(runtime.execute("show p").renderedText.contains("out of reach"))
  }
}
