import CommandLanguage
import Datasets
import Foundation
import NeuralNet
import Pruning
import Render
import TensorCore
import Testing

@testable import CommandRuntime

#if canImport(FoundationXML)
  import FoundationXML
#endif

/// What the must-show table of blending needs besides the search: the uniform blend as a
/// criterion, `eval … recalibrate=`, and the dendrogram drawn as SVG.
@Suite("Uniform blend, eval with recalibration, dendrogram SVG")
struct BlendTableToolsTests {
  func prepared() throws -> Runtime {
    let (runtime, _) = try Fixtures.runtime()
    Fixtures.run(
      runtime,
      [
        Fixtures.data, Fixtures.model, Fixtures.train,
        "sim = similarity m by [l1, fpgm, bn] on d batches=1 batch=32", "k = cluster sim k=3",
      ])
    return runtime
  }

  @Test("search=uniform binds the equal-α blend; its plan is the hand-summed ranks' plan")
  func uniformBlendPlansLikeEqualAlphas() throws {
    let runtime = try prepared()
    let outcome = runtime.execute(
      "u = blend m from k on d ratio=50% search=uniform images=48 recalibrate=32")
    #expect(outcome.status == .ok, "\(outcome.renderedText)")
    #expect(outcome.renderedText.contains("uniform blend (every α equal, no search)"))
    let u = try #require(runtime.environment["u"]?.value as? CriterionValue)
    let record = try #require(u.blend)
    #expect(u.criterion.name == "uniform-blend")
    // One individual, measured once: the uniform one.
    #expect(record.result.lineage.map(\.origin) == ["uniform"])
    #expect(outcome.figures["blend.evaluations"] == .count(1))
    #expect(record.result.bestOneHot == nil)
    #expect(Set(record.criterion.groups.flatMap(\.alphas)) == [1])

    // By hand: per group, the sum of the candidates' rank-normalised scores with α = 0.5 each
    // (any equal α ranks alike), then the group's `removed` lowest sums (ties: lower index).
    let space = record.result.space
    var expected: [[Int]] = []
    for g in space.groups {
      var sums = [Double](repeating: 0, count: g.channels)
      for s in g.normalized { for i in sums.indices { sums[i] += 0.5 * s[i] } }
      let order = sums.indices.sorted { (sums[$0], $0) < (sums[$1], $1) }
      expected.append(order.prefix(g.removed).sorted())
    }
    #expect(expected.contains { !$0.isEmpty })
    Fixtures.run(runtime, ["pu = plan m by u ratio=50%"])
    let plan = try #require(runtime.environment["pu"]?.value as? PlanValue).plan
    #expect(plan.groups.map(\.removed) == expected)
    #expect(plan.criterion == "uniform-blend")

    // The word is checked before anything runs; generations=0 is still refused with its range.
    for (line, text) in [
      ("u2 = blend m from k on d search=unifrom", "search"),
      ("u2 = blend m from k on d generations=0", "generations"),
      (
        "u2 = blend m from k on d search=uniform generations=4",
        "generations= has no use with search=uniform"
      ),
    ] {
      guard case .error(.check, let message) = runtime.execute(line).status else {
        Issue.record("\(line) passed the checker")
        continue
      }
      #expect(message.contains(text), "\(message)")
    }
    #expect(runtime.environment["u2"] == nil)
  }

  @Test("eval recalibrate= re-estimates batch norm on training images, as a hand run does")
  func evalRecalibrates() throws {
    let runtime = try prepared()
    // 128 training images: recalibrate=128 uses all of them in one batch of 128, so the
    // statistics do not depend on which images were drawn first.
    Fixtures.run(
      runtime,
      [
        "q = prune m with (plan m by l1 ratio=50%)", "e0 = eval q on d",
        "e1 = eval q on d recalibrate=128",
      ])
    let e0 = try #require(runtime.environment["e0"]?.value as? MetricsValue)
    let e1 = try #require(runtime.environment["e1"]?.value as? MetricsValue)
    #expect(e0.recalibrated == 0)
    #expect(e1.recalibrated == 128)
    #expect(e1.summary.contains("batch norm re-estimated on 128 training images"))
    #expect(e1.metrics.loss != e0.metrics.loss)

    // By hand: reset and re-estimate every batch norm on the whole training split, then
    // evaluate the test split.
    let q = try #require(runtime.environment["q"]?.value as? ModelValue).network
    let data = try #require(runtime.environment["d"]?.value as? DatasetValue).dataset
    let context = try ComputeContext(threads: 1)
    var net = q
    try context.perform {
      let executor = try Executor(network: net, batch: 128, training: true, context: context)
      try executor.recalibrateBatchNorm(&net, on: data.train, batches: 1)
    }
    let bnName = try #require(
      q.nodes.first { if case .batchNorm = $0.operation { true } else { false } }?.name)
    let before = try #require(q.buffers[bnName + ".running_mean"]).scalars
    let after = try #require(net.buffers[bnName + ".running_mean"]).scalars
    #expect(before != after)
    let hand = try Trainer(context: context).evaluate(net, on: data.test, batchSize: 250)
    #expect(abs(hand.loss - e1.metrics.loss) <= 1e-4 * max(1, abs(hand.loss)))
    #expect(abs(hand.correct - e1.metrics.correct) <= 1)
    #expect(hand.count == e1.metrics.count)

    // More images than the training split: a clear error, nothing bound.
    let outcome = runtime.execute("e2 = eval q on d recalibrate=500")
    guard case .error(.runtime, let message) = outcome.status else {
      Issue.record("recalibrate=500 passed: \(outcome.status)")
      return
    }
    #expect(message.contains("recalibrate=500 needs 500 training images"), "\(message)")
    #expect(runtime.environment["e2"] == nil)
  }

  @Test("the dendrogram SVG draws the hand-worked 4-criterion merges in order at their heights")
  func dendrogramSVG() throws {
    // ρ: a–b 0.95, a–c 0.3, a–d 0.2, b–c 0.4, b–d 0.1, c–d 0.85; by hand (average linkage on
    // d = 1 − ρ): {a,b} at 0.05, {c,d} at 0.15, {a,b}–{c,d} at (0.7+0.8+0.6+0.9)/4 = 0.75.
    let rho: [[Double]] = [
      [1, 0.95, 0.3, 0.2], [0.95, 1, 0.4, 0.1], [0.3, 0.4, 1, 0.85], [0.2, 0.1, 0.85, 1],
    ]
    let tree = AgglomerativeClustering(distances: rho.map { $0.map { 1 - $0 } })
    let chart = try Dendrogram.chart(tree, labels: ["a", "b", "c", "d"], title: "t")
    let svg = Picture.dendrogram(chart).svg()
    let merges = Self.elements("path", in: svg).filter { $0["class"] == "merge" }
    #expect(merges.map { $0["data-order"] } == ["1", "2", "3"])
    #expect(merges.map { $0["data-members"] } == ["a|b", "c|d", "a+b|c+d"])
    #expect(merges.map { Double($0["data-height"] ?? "") } == [0.05, 0.15, 0.75])
    // The brackets' vertical bars stand at x = left + height / 1 × 360 (axis 0…1), and each
    // later merge starts where the earlier ones ended.
    let xs = try merges.map { try #require(Self.points($0["d"] ?? "")) }
    let left = xs[0][0].x
    for (points, height) in zip(xs, [0.05, 0.15, 0.75]) {
      #expect(abs(points[1].x - (left + height * 360)) < 0.01)
      #expect(points[1].x == points[2].x)
    }
    #expect(xs[2][0].x == xs[0][1].x)
    #expect(xs[2][3].x == xs[1][1].x)
    // Leaves in tree order, top to bottom.
    let leaves = Self.elements("text", in: svg).filter { $0["class"] == "leaf-label" }
    #expect(leaves.map { $0["text"] } == ["a", "b", "c", "d"])
    // The terminal drawing of the same chart.
    let text = chart.render(style: .plain)
    #expect(text.contains("ρ 0.95: a ← b"))
    #expect(text.contains("ρ 0.25: a+b ← c+d"))
  }

  /// Attributes (and text, under `text`) of every `name` element of an SVG document.
  static func elements(_ name: String, in svg: String) -> [[String: String]] {
    final class Collector: NSObject, XMLParserDelegate {
      let name: String
      var found: [[String: String]] = []
      var open = false
      init(_ name: String) { self.name = name }
      func parser(
        _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
        qualifiedName qName: String?, attributes: [String: String] = [:]
      ) {
        open = elementName == name
        if open { found.append(attributes) }
      }
      func parser(_ parser: XMLParser, foundCharacters string: String) {
        if open, !found.isEmpty { found[found.count - 1]["text", default: ""] += string }
      }
      func parser(
        _ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?,
        qualifiedName qName: String?
      ) { open = false }
    }
    let collector = Collector(name)
    let parser = XMLParser(data: Data(svg.utf8))
    parser.delegate = collector
    #expect(parser.parse(), "the SVG is not well-formed XML")
    return collector.found
  }

  /// The points of an `M x y L x y …` path.
  static func points(_ d: String) -> [(x: Double, y: Double)]? {
    let numbers = d.split(whereSeparator: { $0 == " " || $0 == "M" || $0 == "L" })
      .compactMap { Double($0) }
    guard numbers.count % 2 == 0 else { return nil }
    return stride(from: 0, to: numbers.count, by: 2).map { (numbers[$0], numbers[$0 + 1]) }
  }
}
