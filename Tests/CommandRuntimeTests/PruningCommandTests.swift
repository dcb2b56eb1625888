import CommandLanguage
import CommandRuntime
import Foundation
import NeuralNet
import Pruning
import Render
import Testing

/// The engine commands added with the pruning engine: their figures, their archives, and the
/// errors a user sees.
@Suite("Pruning commands")
struct PruningCommandTests {
  func prepared() throws -> Runtime {
    let (runtime, _) = try Fixtures.runtime()
    Fixtures.run(runtime, [Fixtures.data, Fixtures.model, Fixtures.train])
    return runtime
  }

  func model(_ runtime: Runtime, _ name: String) throws -> Network {
    try #require(runtime.environment[name]?.value as? ModelValue).network
  }

  @Test("plan records the exact index sets; prune removes them; masked keeps the shapes")
  func planAndPrune() throws {
    let runtime = try prepared()
    let plan = runtime.execute("p = plan m by l1 ratio=50%")
    #expect(plan.status == .ok)
    // vgg-small at width 0.25: six groups of 8, 8, 16, 16, 32, 32 channels; half of each goes.
    #expect(plan.figures["removed"] == .count(56))
    guard case .indices(let first) = plan.figures["removed.features.0.conv"] else {
      Issue.record("no index set for features.0.conv")
      return
    }
    #expect(first.count == 4 && first == first.sorted())
    let pruned = runtime.execute("m2 = prune m with p")
    #expect(pruned.status == .ok)
    #expect(pruned.figures["channels"] == .shape([4, 4, 8, 8, 16, 16]))
    let m = try model(runtime, "m")
    let expected = try Surgery.prune(
      m, with: try #require(runtime.environment["p"]?.value as? PlanValue).plan)
    #expect(pruned.figures["params"] == .count(expected.parameterCount))
    #expect(plan.figures["params.after"] == .count(expected.parameterCount))
    let masked = runtime.execute("m3 = prune m with p mode=masked")
    #expect(masked.figures["params"] == .count(m.parameterCount))
  }

  @Test("a plan for another model, or a ratio of 100%, is refused before anything changes")
  func badPlans() throws {
    let runtime = try prepared()
    Fixtures.run(runtime, ["p = plan m by l1 ratio=25%", "m2 = prune m with p"])
    let again = runtime.execute("m4 = prune m2 with p")
    guard case .error(.runtime, let message) = again.status else {
      Issue.record("pruning a pruned model with its old plan was accepted")
      return
    }
    #expect(message.contains("made for another model"))
    #expect(runtime.environment["m4"] == nil)
    let full = runtime.execute("p2 = plan m by l1 ratio=100%")
    guard case .error(.check, let check) = full.status else {
      Issue.record("ratio 100% passed the checker")
      return
    }
    #expect(check.contains("ratio must be in [0%, 100%)"))
  }

  @Test("similarity, groups, cwda, sensitivity and compare give their figures")
  func analysisFigures() throws {
    let runtime = try prepared()
    let sim = runtime.execute("sim = similarity m by [l1, l2, fpgm] ratio=50%")
    #expect(sim.status == .ok, "\(sim.renderedText)")
    guard case .float(let rho) = sim.figures["spearman.l2.fpgm"] else {
      Issue.record("no spearman figure")
      return
    }
    #expect(rho > -1 && rho <= 1)
    #expect(sim.renderedText.contains("mean Spearman"))
    let groups = runtime.execute("g = groups m")
    #expect(groups.figures["groups"] == .count(6) && groups.figures["streams"] == .count(0))
    let cwda = runtime.execute("c = cwda m projections=20")
    #expect(cwda.figures["layers"] == .count(6))
    let sens = runtime.execute("s = sensitivity m by l1 on d ratios=[50%] images=32")
    #expect(sens.status == .ok)
    #expect(sens.figures.names.filter { $0.hasPrefix("loss.") }.count == 6)
    Fixtures.run(runtime, ["p = plan m by l2 ratio=50% alloc=global", "m2 = prune m with p"])
    let compare = runtime.execute("r = compare m m2 on d")
    #expect(compare.figures["before.macs"] == .count(try model(runtime, "m").macs))
    #expect(compare.figures["after.macs"] == .count(try model(runtime, "m2").macs))
    #expect(compare.renderedText.contains("estimated") && compare.renderedText.contains("measured"))
    // The change column and the summary carry one sign: fewer FLOPs after is "-…%", and the
    // reverse comparison says "+…%" (it once printed "--…%" for a model with more FLOPs).
    let before = Double(try model(runtime, "m").macs)
    let after = Double(try model(runtime, "m2").macs)
    let fewer = NumberFormat.signedPercent(after / before - 1)
    #expect(fewer.hasPrefix("-") && compare.renderedText.contains("FLOPs \(fewer)"))
    let reverse = runtime.execute("compare m2 m on d")
    let more = NumberFormat.signedPercent(before / after - 1)
    #expect(more.hasPrefix("+") && reverse.renderedText.contains("FLOPs \(more)"))
    #expect(!reverse.renderedText.contains(" --"))
  }

  @Test("the new values restore from their archives with the same figures")
  func archives() throws {
    let runtime = try prepared()
    Fixtures.run(
      runtime,
      [
        "p = plan m by l1 ratio=50% alloc=clr select=rnf", "sim = similarity m by [l1, l2]",
        "g = groups m", "c = cwda m projections=10",
        "s = sensitivity m by l1 on d ratios=[25%, 50%] images=32", "m2 = prune m with p",
        "r = compare m m2 on d",
      ])
    for name in ["p", "sim", "g", "c", "s", "r"] {
      let binding = try #require(runtime.environment[name])
      let restored = try runtime.kinds.unarchive(
        type: binding.value.type, bytes: try binding.value.archive(), loader: runtime.loader)
      #expect(restored.type == binding.value.type, "\(name)")
      #expect(try restored.contentHash() == binding.hash, "\(name)")
      #expect(restored.figures == binding.value.figures, "\(name)")
    }
  }

  @Test("write puts scores and similarity into CSV and JSON files others can read")
  func write() throws {
    let runtime = try prepared()
    let folder = try Fixtures.TemporaryFolder()
    Fixtures.run(
      runtime, ["s = score m by l1", "sim = similarity m by [l1, l2]", "p = plan m by l1"])
    Fixtures.run(
      runtime,
      [
        "write s to \"\(folder.path)/s.csv\"", "write sim to \"\(folder.path)/sim.json\"",
        "write p to \"\(folder.path)/p.json\"",
      ])
    let csv = try String(contentsOfFile: folder.path + "/s.csv", encoding: .utf8)
    let rows = csv.split(separator: "\r\n")
    // A header, then one row per filter of the six conv layers (8+8+16+16+32+32).
    #expect(rows.first == "layer,filter,l1")
    #expect(rows.count == 1 + 112)
    let scores = try #require(runtime.environment["s"]?.value as? ScoresValue).scores
    let first = rows[1].split(separator: ",")
    #expect(first[0] == "features.0.conv" && first[1] == "0")
    #expect(Double(String(first[2])) == scores["features.0.conv"]![0])
    let data = try Data(contentsOf: URL(fileURLWithPath: folder.path + "/sim.json"))
    let decoded = try JSONDecoder().decode(CriteriaSimilarity.self, from: data)
    #expect(decoded.criteria == ["l1", "l2"])
    let refused = runtime.execute("write p to \"\(folder.path)/p.csv\"")
    guard case .error(_, let message) = refused.status else {
      Issue.record("a plan was written as CSV")
      return
    }
    #expect(message.contains("cannot be written as csv"))
    #expect(!FileManager.default.fileExists(atPath: folder.path + "/p.csv"))
  }

  @Test("finetune trains with the fine-tuning defaults")
  func finetune() throws {
    let runtime = try prepared()
    Fixtures.run(runtime, ["p = plan m by l1 ratio=50%", "m2 = prune m with p"])
    let tuned = runtime.execute("m2 = finetune m2 on d batch=32")
    #expect(tuned.status == .ok)
    #expect(tuned.figures["train.images"] == .count(128))
    #expect(
      runtime.registry.command(named: "finetune")?.signature.parameters.first { $0.name == "lr" }?
        .defaultValue == .value(.number(0.01)))
  }
}
