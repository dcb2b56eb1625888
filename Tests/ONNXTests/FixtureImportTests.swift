import Foundation
import NeuralNet
import Pruning
import TensorCore
import Testing

@testable import ONNX

/// Files written by PyTorch's `torch.onnx.export` import and give ONNX Runtime's logits
/// (recorded by scripts/make-onnx-fixtures, an independent reference).
@Suite struct FixtureImportTests {
  typealias S = ONNXTestSupport

  struct Manifest: Decodable {
    struct Entry: Decodable {
      var name: String
      var file: String
      var inputs: String
      var inputShape: [Int]
      var count: Int
      var classes: Int
      var logits: String
    }
    var models: [Entry]
  }

  static func entry(_ name: String) throws -> Manifest.Entry {
    let manifest = try JSONDecoder().decode(
      Manifest.self, from: Data(S.fixture("fixtures.json")))
    return try #require(manifest.models.first { $0.name == name })
  }

  func importAndCompare(_ name: String) throws -> ONNXImportResult {
    let e = try Self.entry(name)
    let result = try ONNXImporter.decode(S.fixture(e.file), path: e.file, name: name)
    #expect(result.network.inputShape == e.inputShape)
    #expect(result.network.classes == e.classes)
    let images = try S.floats(e.inputs)
    let expected = try S.floats(e.logits)
    let ours = try S.logits(result.network, images)
    #expect(ours.count == e.count * e.classes)
    let relative = S.relativeDifference(ours, expected)
    #expect(relative <= 1e-4, "\(name): relative difference \(relative)")
    return result
  }

  func kinds(_ net: Network) -> [String: Int] {
    Dictionary(net.nodes.map { ($0.operation.kindName, 1) }, uniquingKeysWith: +)
  }

  @Test func resNet20OptionAAsPyTorchUsersWriteIt() throws {
    let result = try importAndCompare("resnet20a")
    let k = kinds(result.network)
    #expect(k["conv"] == 19)
    #expect(k["bn"] == 19)
    #expect(k["shortcut-pad"] == 2)
    #expect(k["add"] == 9)
    #expect(!result.batchNormFolded)
    #expect(result.network.node(named: "layer1.0.conv1") != nil)
    #expect(result.producer.hasPrefix("pytorch"))
  }

  @Test func resNet20OptionB() throws {
    let result = try importAndCompare("resnet20b")
    let k = kinds(result.network)
    #expect(k["conv"] == 21)
    #expect(k["bn"] == 21)
    #expect(k["shortcut-pad"] == nil)
  }

  @Test func vggWithBatchNormFoldedIntoItsConvolutions() throws {
    let result = try importAndCompare("vgg-folded")
    #expect(result.batchNormFolded)
    #expect(kinds(result.network)["bn"] == nil)
    #expect(kinds(result.network)["conv"] == 5)
    // BN-based criteria say they need batch norm; weight criteria work.
    let context = try ComputeContext(threads: 1)
    let input = ScoringInput(network: result.network, context: context, rng: SeededRNG(seed: 1))
    #expect(throws: CriterionError.self) {
      try CriterionRegistry.standard.criterion(named: "bn").score(input)
    }
    _ = try CriterionRegistry.standard.criterion(named: "l1").score(input)
  }

  @Test func leNet() throws {
    let result = try importAndCompare("lenet")
    #expect(kinds(result.network)["linear"] == 3)
    #expect(!result.batchNormFolded)  // it never had batch norm
  }

  /// PyTorch's newer exporter (dynamo, the default since 2.9): opset 18, BN folded, ReduceMean
  /// axes and Reshape to a fixed batch, weights in a data file beside the model.
  @Test func theNewerExporterWithExternalWeights() throws {
    let e = try Self.entry("resnet20a-dynamo")
    let path = S.fixtures.appendingPathComponent(e.file).path
    let result = try ONNXImporter.load(from: path)
    #expect(result.batchNormFolded)
    #expect(kinds(result.network)["shortcut-pad"] == 2)
    let relative = S.relativeDifference(
      try S.logits(result.network, try S.floats(e.inputs)), try S.floats(e.logits))
    #expect(relative <= 1e-4, "relative difference \(relative)")
    // From memory there is no folder to find the weights in: a clear refusal.
    do {
      _ = try ONNXImporter.decode(S.fixture(e.file), path: e.file)
      Issue.record("imported external weights without their file")
    } catch ONNXError.invalidGraph(_, let problem) {
      #expect(problem.contains("external file"))
    }
  }

  /// Import → prune 50% → export → import: the pruned network survives the trip unchanged.
  @Test(arguments: ["resnet20a", "resnet20b", "vgg-folded"])
  func importedNetworksPruneAndExportAgain(name: String) throws {
    let e = try Self.entry(name)
    let net = try ONNXImporter.decode(S.fixture(e.file), name: name).network
    let context = try ComputeContext(threads: 1)
    let scores = try CriterionRegistry.standard.criterion(named: "l1").score(
      ScoringInput(network: net, context: context, rng: SeededRNG(seed: 1)))
    let plan = try Planner(network: net).plan(scores: scores, ratio: 0.5)
    let pruned = try Surgery.prune(net, with: plan)
    #expect(pruned.macs < net.macs)
    let back = try ONNXImporter.decode(ONNXExporter.encode(pruned), name: name).network
    #expect(back.nodes == pruned.nodes)
    let images = Array(try S.floats(e.inputs).prefix(2 * e.inputShape.reduce(1, *)))
    #expect(try S.logits(back, images) == S.logits(pruned, images))
  }

  /// Import → export → import gives the fixture's logits again.
  @Test(arguments: ["resnet20a", "resnet20b", "vgg-folded", "lenet"])
  func reExportKeepsTheOutputs(name: String) throws {
    let e = try Self.entry(name)
    let first = try ONNXImporter.decode(S.fixture(e.file), name: name).network
    let again = try ONNXImporter.decode(ONNXExporter.encode(first), name: name).network
    #expect(again.nodes == first.nodes)
    let images = try S.floats(e.inputs)
    #expect(S.relativeDifference(try S.logits(again, images), try S.floats(e.logits)) <= 1e-4)
  }
}
