import Datasets
import Foundation
import NeuralNet
import Pruning
import TensorCore
import Testing

@testable import ONNX

/// Export → import gives back the network: same nodes, same weights, same outputs.
@Suite struct RoundTripTests {
  typealias S = ONNXTestSupport

  func roundTrip(_ net: Network, options: ONNXExportOptions = ONNXExportOptions()) throws
    -> ONNXImportResult
  {
    let bytes = try ONNXExporter.encode(net, options: options)
    return try ONNXImporter.decode(bytes, name: "ignored")
  }

  @Test(arguments: [
    ("lenet5", 1, 28, ModelOptions.Shortcut.a), ("vgg-small", 1, 28, .a), ("vgg16", 3, 32, .a),
    ("resnet20", 3, 16, .a), ("resnet20", 3, 16, .b), ("resnet32", 3, 8, .a),
  ])
  func everyZooModelComesBackUnchanged(
    name: String, channels: Int, size: Int, shortcut: ModelOptions.Shortcut
  ) throws {
    let width = name == "vgg16" ? 0.125 : 0.5
    let net = try S.zooModel(name, channels: channels, size: size, width: width, shortcut: shortcut)
    let back = try roundTrip(net).network
    #expect(back.name == net.name)
    #expect(back.nodes == net.nodes)
    #expect(back.fingerprint == net.fingerprint)
    for (path, tensor) in net.parameters {
      #expect(back.parameters[path]?.scalars == tensor.scalars)
    }
    for (path, tensor) in net.buffers { #expect(back.buffers[path]?.scalars == tensor.scalars) }
    let images = S.images(for: net, count: 3)
    #expect(try S.logits(back, images) == S.logits(net, images))
  }

  @Test func aPrunedResNetWithMovedShortcutChannelsComesBack() throws {
    let net = try S.zooModel("resnet20", size: 8)
    let context = try ComputeContext(threads: 1)
    let scores = try CriterionRegistry.standard.criterion(named: "l1").score(
      ScoringInput(network: net, context: context, rng: SeededRNG(seed: 1)))
    let plan = try Planner(network: net).plan(scores: scores, ratio: 0.5)
    let pruned = try Surgery.prune(net, with: plan)
    let maps = pruned.nodes.compactMap { node -> ShortcutPadSpec? in
      if case .shortcutPad(let s) = node.operation { return s }
      return nil
    }
    #expect(!maps.isEmpty)
    let back = try roundTrip(pruned).network
    #expect(back.nodes == pruned.nodes)
    let images = S.images(for: pruned, count: 2)
    #expect(try S.logits(back, images) == S.logits(pruned, images))
  }

  @Test func aShortcutWithAnyChannelPlacementIsExportedExactly() throws {
    // Channels 0 and 2 of 3 kept, placed at 3 and 0 of 4; channel 1 dropped: Pad + Gather.
    var b = NetworkBuilder(inputShape: [3, 4, 4], rng: SeededRNG(seed: 1))
    try b.add(
      "sc",
      .shortcutPad(
        ShortcutPadSpec(inChannels: 3, outChannels: 4, stride: 2, channelMap: [3, -1, 0])))
    try b.add("flatten", .flatten)
    try b.add("fc", .linear(LinearSpec(inFeatures: 16, outFeatures: 2)))
    let net = try b.build(name: "tiny", classes: 2)
    let model = try ONNXExporter.model(of: net, options: ONNXExportOptions())
    #expect(model.graph.node.map(\.opType) == ["Slice", "Pad", "Gather", "Flatten", "Gemm"])
    let back = try roundTrip(net).network
    #expect(back.nodes == net.nodes)
    // Hand-computed: image 0 channel c at (h, w) is x[c][2h][2w]; output channel 3 = input 0,
    // output 0 = input 2, outputs 1 and 2 zero.
    let x = (0..<48).map { Float($0) }
    var expected = [Float](repeating: 0, count: 16)
    for h in 0..<2 {
      for w in 0..<2 {
        expected[3 * 4 + h * 2 + w] = x[0 * 16 + 2 * h * 4 + 2 * w]
        expected[0 * 4 + h * 2 + w] = x[2 * 16 + 2 * h * 4 + 2 * w]
      }
    }
    let weight = net.parameters["fc.weight"]!.scalars
    let bias = net.parameters["fc.bias"]!.scalars
    let logits = try S.logits(back, x)
    for k in 0..<2 {
      let dot = (0..<16).reduce(Float(0)) { $0 + weight[k * 16 + $1] * expected[$1] } + bias[k]
      #expect(abs(logits[k] - dot) <= 1e-4 * max(1, abs(dot)))
    }
  }

  @Test func theNormalisationAndClassNamesTravelInTheFile() throws {
    let net = try S.zooModel("lenet5", channels: 1, size: 28, width: 0.5)
    let stats = ChannelStatistics(mean: [0.286], std: [0.353])
    let names = (0..<10).map { "class \($0)" }
    let options = ONNXExportOptions(
      normalization: stats, classNames: names, provenance: ["shears.history": "model lenet5"])
    let model = try ONNXExporter.model(of: net, options: options)
    #expect(Array(model.graph.node.prefix(2).map(\.opType)) == ["Sub", "Mul"])
    #expect(model.opsetImport.first?.version == 13)
    let metadata = Dictionary(uniqueKeysWithValues: model.metadataProps.map { ($0.key, $0.value) })
    #expect(metadata["shears.history"] == "model lenet5")
    #expect(metadata["shears.fingerprint"] == net.fingerprint)
    let result = try roundTrip(net, options: options)
    #expect(result.classNames == names)
    let back = try #require(result.normalization)
    #expect(abs(back.mean[0] - 0.286) < 1e-6)
    #expect(abs(back.std[0] - 0.353) < 1e-6)
    #expect(result.network.nodes == net.nodes)
  }
}
