import CommandLanguage
import CommandRuntime
import Foundation
import NeuralNet
import Pruning
import Testing

/// `cluster` and `blend` in the shell: what they bind, how the blend round-trips, and the
/// errors a user sees (checker-level before anything runs, runtime-level with nothing bound).
@Suite("Cluster and blend commands")
struct BlendCommandTests {
  static let similarity = "sim = similarity m by [l1, fpgm, bn] on d batches=1 batch=32"
  static let cluster = "k = cluster sim k=3"
  static let blend =
    "b = blend m from k on d population=6 generations=3 elites=2 images=48 recalibrate=32"

  func prepared() throws -> Runtime {
    let (runtime, _) = try Fixtures.runtime()
    Fixtures.run(
      runtime, [Fixtures.data, Fixtures.model, Fixtures.train, Self.similarity, Self.cluster])
    return runtime
  }

  @Test("cluster binds per-group clusters; blend binds a criterion that plans like its search")
  func clusterBlendPlan() throws {
    let runtime = try prepared()
    let k = try #require(runtime.environment["k"]?.value as? ClustersValue)
    #expect(k.clusters.groups.count == 6)
    // k = 3 with three criteria: every criterion its own cluster and candidate.
    for g in k.clusters.groups { #expect(g.clusters == [[0], [1], [2]]) }
    let outcome = runtime.execute(Self.blend)
    #expect(outcome.status == .ok, "\(outcome.renderedText)")
    let b = try #require(runtime.environment["b"]?.value as? CriterionValue)
    let record = try #require(b.blend)
    #expect(record.result.lineage.count == 18)
    #expect(outcome.figures["blend.evaluations"] == .count(18))
    #expect(outcome.figures["alpha.features.0.conv.l1"] != nil)
    // The plan by b removes exactly the best individual's masks.
    Fixtures.run(runtime, ["p = plan m by b ratio=50%"])
    let plan = try #require(runtime.environment["p"]?.value as? PlanValue).plan
    #expect(plan.groups.map(\.removed) == record.result.space.removed(record.result.best.genome))
    // The archive round-trips with its lineage, and restores the blended criterion.
    let bytes = try b.archive()
    let restored = try #require(
      try ValueKinds.standard.unarchive(
        type: .criterion, bytes: bytes, loader: DatasetLoader()) as? CriterionValue)
    #expect(restored.blend == record)
    #expect(try restored.contentHash() == b.contentHash())
    // score, similarity, show and plot take it.
    Fixtures.run(
      runtime, ["s = score m by b", "sim2 = similarity m by [l1, b]", "show b", "plot b", "show k"])
    // explain b m tells the search's story with its numbers; explain fpgm still works.
    let explained = runtime.execute("explain b m")
    #expect(explained.status == .ok)
    #expect(explained.renderedText.contains("best single candidate ("))
    #expect(explained.renderedText.contains("18 individuals gave"))
    #expect(runtime.execute("explain fpgm m").status == .ok)
    guard case .error(.runtime, let message) = runtime.execute("explain m").status else {
      Issue.record("explain of a model passed")
      return
    }
    #expect(message.contains("explain takes a topic"))
  }

  func checkError(_ runtime: Runtime, _ line: String, contains text: String) {
    let outcome = runtime.execute(line)
    guard case .error(.check, let message) = outcome.status else {
      Issue.record("\(line) passed the checker: \(outcome.status)")
      return
    }
    #expect(message.contains(text), "\(message)")
    #expect(runtime.environment["b"] == nil)
  }

  func runtimeError(_ runtime: Runtime, _ line: String, contains text: String) {
    let outcome = runtime.execute(line)
    guard case .error(.runtime, let message) = outcome.status else {
      Issue.record("\(line) did not fail at run time: \(outcome.status)")
      return
    }
    #expect(message.contains(text), "\(message)")
    #expect(runtime.environment["b"] == nil)
  }

  @Test("bad options are refused by the checker, before anything runs")
  func checkerErrors() throws {
    let runtime = try prepared()
    checkError(
      runtime, "b = blend m from k on d population=3 elites=4",
      contains: "elites must not exceed population")
    checkError(
      runtime, "b = blend m from k on d population=3",
      contains: "elites=4 (the default)")
    checkError(runtime, "b = blend m from k on d generations=0", contains: "generations")
    checkError(runtime, "b = blend m from k on d fitness=speed", contains: "fitness")
    checkError(runtime, "k2 = cluster sim threshold=2", contains: "threshold")
  }

  @Test("too many images, a similarity of one criterion and clusters of another model fail clearly")
  func runtimeErrors() throws {
    let runtime = try prepared()
    runtimeError(
      runtime, "b = blend m from k on d images=100 recalibrate=64",
      contains: "need 164 training images")
    Fixtures.run(runtime, ["m2 = model vgg-small for d width=0.5", "m3 = train m on d epochs=1"])
    runtimeError(runtime, "b = blend m2 from k on d", contains: "made from a similarity of")
    runtimeError(runtime, "b = blend m3 from k on d", contains: "other weights")
    // A similarity value of one criterion cannot be made by the shell; build one directly.
    let sim = try #require(runtime.environment["sim"]?.value as? SimilarityValue)
    var object = try #require(
      try JSONSerialization.jsonObject(with: Data(try sim.archive())) as? [String: Any])
    var inner = try #require(object["similarity"] as? [String: Any])
    inner["criteria"] = ["l1"]
    object["similarity"] = inner
    let one = try ValueKinds.standard.unarchive(
      type: .similarity, bytes: Array(try JSONSerialization.data(withJSONObject: object)),
      loader: DatasetLoader())
    try runtime.bind("one", one)
    let outcome = runtime.execute("k1 = cluster one")
    guard case .error(.runtime, let message) = outcome.status else {
      Issue.record("cluster of one criterion passed: \(outcome.status)")
      return
    }
    #expect(message.contains("at least two criteria"))
    #expect(runtime.environment["k1"] == nil)
  }
}
