import CommandLanguage
import CommandRuntime
import Testing

@Suite("The command registry")
struct RegistryTests {
  @Test("every command has a summary, an example and a summary per parameter; no ambiguity")
  func documented() {
    #expect(CommandRegistry.standard.problems == [])
  }

  @Test("the registry lists the commands of this stage of the engine")
  func names() {
    #expect(
      CommandRegistry.standard.names == [
        "data", "model", "load", "save", "write", "train", "eval", "finetune", "compare", "score",
        "groups", "plan", "prune", "gradual", "similarity", "cluster", "blend", "cwda",
        "sensitivity", "profile",
        "show", "plot", "explain", "bench",
      ])
  }

  @Test("every example type-checks", arguments: CommandRegistry.standard.commands.map(\.name))
  func examplesCheck(name: String) throws {
    let command = try #require(CommandRegistry.standard.command(named: name))
    let base = RuntimeCheckContext(
      registry: .standard, environment: Environment(), purpose: .checking)
    let context = ExtendedContext(
      base: base,
      extra: [
        "d": .dataset, "m": .model, "m2": .model, "s": .scores, "p": .plan, "sim": .similarity,
        "k": .clusters,
      ])
    let result = Checker(context: context).check(source: command.signature.example)
    #expect(result.diagnostics == [], "\(command.signature.example)")
    #expect(result.statements.count == 1)
  }

  @Test("usage lines are built from the signature")
  func usage() throws {
    let eval = try #require(CommandRegistry.standard.command(named: "eval"))
    #expect(
      HelpText.usage(eval.signature)
        == "eval <model> on <data> [split=test] [limit=…] [batch=250] [recalibrate=0]")
    let explain = try #require(CommandRegistry.standard.command(named: "explain"))
    #expect(HelpText.usage(explain.signature) == "explain <topic> [<model>] [on <data>]")
  }

  @Test("the overview lists every command under its group, then the meta commands")
  func overview() {
    let text = HelpText.overview(.standard)
    let lines = text.split(separator: "\n").map(String.init)
    #expect(lines.first == "data and models:")
    #expect(
      lines.contains(
        "  score        Score every filter of every conv layer by a criterion (larger = keep)."))
    #expect(lines.contains("meta commands:"))
    for name in CommandRegistry.standard.names {
      #expect(lines.contains { $0.hasPrefix("  \(name) ") }, "\(name) is listed")
    }
  }

  @Test("every criterion, similarity, cwda and groups is an explain topic")
  func topics() {
    let names = ExplainTopics.standard.names
    for criterion in [
      "l1", "l2", "fpgm", "fermat", "bn", "taylor", "apoz", "hrank", "frs", "clr", "random",
    ] {
      #expect(names.contains(criterion))
    }
    for topic in ["criteria", "similarity", "cluster", "blend", "cwda", "groups"] {
      #expect(names.contains(topic))
    }
  }
}
