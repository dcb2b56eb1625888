import CommandLanguage
import CommandRuntime
import Testing

/// `explain` covers every command of the registry and every idea it lists, with a model's or a
/// plan's own numbers where the topic has them.
@Suite("explain topics")
struct ExplainTopicTests {
  /// The concepts issue 15 asks for (criteria and commands come on top).
  static let concepts = [
    "allocation", "balanced", "clr", "rnf", "surgery", "fine-tuning", "flops", "sensitivity",
    "clusters", "blending", "gradual", "distillation",
  ]

  @Test(
    "every command of the registry has an explain topic",
    arguments: CommandRegistry.standard.names)
  func everyCommand(name: String) {
    #expect(
      ExplainTopics.standard.topic(named: name) != nil,
      "the command '\(name)' has no explain topic: add one to CommandTopics (or a concept)")
  }

  @Test("every listed topic, and every concept, explains itself in a few sentences")
  func everyTopic() throws {
    let names = ExplainTopics.standard.names
    for concept in Self.concepts { #expect(names.contains(concept), "\(concept)") }
    let (runtime, _) = try Fixtures.runtime()
    for name in names {
      let topic = try #require(ExplainTopics.standard.topic(named: name))
      #expect(!topic.summary.isEmpty, "\(name)")
      #expect(topic.text.count >= 100, "\(name): \(topic.text)")
      let outcome = runtime.execute("explain \(name)")
      #expect(outcome.status == .ok, "\(name): \(outcome.renderedText)")
      #expect(outcome.renderedText.hasPrefix(String(topic.text.prefix(40))), "\(name)")
    }
  }

  @Test("explain flops m lists the heaviest layers with their MACs and share")
  func flops() throws {
    let (runtime, _) = try Fixtures.runtime()
    Fixtures.run(runtime, ["d = data synthetic classes=4 size=8 count=64", Fixtures.model])
    let outcome = runtime.execute("explain flops m")
    #expect(outcome.status == .ok)
    // Channels 8, 8, 16, 16, 32, 32 on 8×8 images, pooled to 4×4 and 2×2 (3×3 kernels):
    // 64·8·1·9 + 64·8·8·9 + 16·16·8·9 + 16·16·16·9 + 4·32·16·9 + 4·32·32·9 + 32·4 = 152,192;
    // the 36,864-MAC layers are 24.2% each, the first of them by name features.1.conv.
    let text = outcome.renderedText
    #expect(text.contains("152.2 K MACs in all"))
    let rows = text.split(separator: "\n").filter { $0.contains("features.") }
    #expect(rows.first?.contains("features.1.conv") == true)
    #expect(rows.first?.contains("36.9 K") == true)
    #expect(rows.first?.contains("24.2%") == true)
    #expect(rows.last?.contains("features.0.conv") == true)
    #expect(rows.last?.contains("4.6 K") == true)
  }

  @Test("explain balanced p shows the δ the plan found and each group's cut")
  func balancedPlan() throws {
    let (runtime, _) = try Fixtures.runtime()
    Fixtures.run(
      runtime,
      [
        Fixtures.data, Fixtures.model, Fixtures.train,
        "p = plan m by l1 ratio=40% alloc=balanced on d images=64",
      ])
    let plan = try #require(runtime.environment["p"]?.value as? PlanValue)
    let delta = try #require(plan.plan.threshold)
    let outcome = runtime.execute("explain balanced p")
    #expect(outcome.status == .ok)
    let text = outcome.renderedText
    #expect(text.contains("balanced threshold δ = "))
    #expect(delta.isFinite)
    for group in plan.plan.groups {
      let row = text.split(separator: "\n").first { $0.contains(" \(group.group) ") }
      #expect(row?.contains(" \(group.removed.count) ") == true, "\(group.group): \(row ?? "")")
    }
    // The δ survives the plan's archive (a restored plan explains the same).
    let restored = try runtime.kinds.unarchive(
      type: .plan, bytes: try plan.archive(), loader: runtime.loader)
    #expect((restored as? PlanValue)?.plan.threshold == delta)
    // A uniform plan searched no threshold.
    Fixtures.run(runtime, ["q = plan m by l1 ratio=40%"])
    #expect((runtime.environment["q"]?.value as? PlanValue)?.plan.threshold == nil)
  }

  @Test("explain takes a model or a plan after the topic, nothing else")
  func wrongSubject() throws {
    let (runtime, _) = try Fixtures.runtime()
    guard case .error(.runtime, let message) = runtime.execute("explain flops 3").status else {
      Issue.record("explain flops 3 passed")
      return
    }
    #expect(message.contains("takes a model or a plan, not a Number"))
  }

  @Test(":help lists the topics; completion knows them")
  func helpAndCompletion() throws {
    let (runtime, _) = try Fixtures.runtime()
    let help = runtime.execute(":help").renderedText
    #expect(help.contains("explain topics"))
    for concept in ["distillation", "fine-tuning", "balanced", "rnf"] {
      #expect(help.contains(concept), "\(concept)")
    }
    #expect(runtime.complete("explain bal").candidates.contains("balanced"))
    #expect(runtime.complete("explain fine").candidates == ["fine-tuning", "finetune"])
    #expect(runtime.complete("explain distil").candidates == ["distillation"])
  }
}
