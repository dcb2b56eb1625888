import Datasets
import NeuralNet
import TensorCore
import Testing

@testable import Pruning

@Suite("Criterion registry and graph walking")
struct CriterionRegistryTests {
  @Test func standardNamesAndNeeds() throws {
    let r = CriterionRegistry.standard
    #expect(
      r.names == [
        "l1", "l2", "fpgm", "fermat", "bn", "taylor", "apoz", "hrank", "frs", "clr", "random",
      ])
    let needs = Dictionary(uniqueKeysWithValues: r.entries.map { ($0.name, $0.needs) })
    #expect(needs["taylor"] == .gradients)
    #expect(needs["apoz"] == .data && needs["hrank"] == .data && needs["frs"] == .data)
    #expect(needs["l1"] == .weights && needs["clr"] == .weights && needs["random"] == .weights)
    #expect(r.entries.allSatisfy { !$0.summary.isEmpty && !$0.summary.contains("\n") })
    #expect(try r.criterion(named: "hrank").name == "hrank")
  }

  @Test func unknownNameNamesTheKnownOnes() {
    #expect(throws: CriterionError.self) { try CriterionRegistry.standard.criterion(named: "l3") }
    let message = CriterionError.unknownCriterion(name: "l3", known: ["l1", "l2"]).description
    #expect(message.contains("l3") && message.contains("l1, l2"))
  }

  @Test func sharedPassesGiveTheSameScoresAsSingleOnes() throws {
    let net = try CriteriaFixtures.tinyResNet()
    let data = CriteriaFixtures.noise(count: 6, shape: [1, 8, 8], classes: 3, seed: 3)
    let input = CriteriaFixtures.input(net, data: data, batches: 2, batchSize: 3)
    let names = ["apoz", "taylor", "l1", "hrank", "frs", "random"]
    let together = try CriterionRegistry.standard.score(names, input: input)
    for (name, scores) in zip(names, together) {
      let alone = try CriterionRegistry.standard.criterion(named: name).score(input)
      #expect(scores.criterion == name)
      #expect(scores == alone, "\(name)")
      #expect(scores.layers.count == 19)
      for layer in scores.layers { #expect(scores[layer]!.allSatisfy { $0.isFinite }) }
    }
  }

  @Test func activationsAreFoundThroughBatchNormAndAdd() throws {
    let graph = ConvGraph(network: try CriteriaFixtures.tinyResNet(shortcut: .b))
    #expect(graph.activation(after: "conv1") == "relu1")
    #expect(graph.activation(after: "layer1.0.conv1") == "layer1.0.relu1")
    #expect(graph.activation(after: "layer1.0.conv2") == "layer1.0.relu2")
    #expect(graph.activation(after: "layer2.0.shortcut.conv") == "layer2.0.relu2")
    #expect(graph.batchNorm(after: "layer2.0.conv2") == "layer2.0.bn2")
  }
}
