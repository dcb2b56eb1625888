import NeuralNet
import TensorCore
import Testing

@testable import Pruning

@Suite struct ChannelGroupsTests {
  func make(_ name: String, _ options: ModelOptions) throws -> Network {
    var rng = SeededRNG(seed: 1)
    return try ModelZoo.make(name, options: options, rng: &rng)
  }

  @Test func resnet20OptionAStreamsAndBlockInternals() throws {
    let net = try make("resnet20", ModelOptions(inputSize: 8, widthMultiplier: 0.5))
    let groups = try ChannelGroups(network: net)
    // 9 block-internal groups (conv1 of each block) + 3 residual streams.
    #expect(groups.groups.count == 12)
    let stage1 = try #require(groups.group(producedBy: "conv1"))
    #expect(stage1.producers == ["conv1", "layer1.0.conv2", "layer1.1.conv2", "layer1.2.conv2"])
    #expect(stage1.shortcutProducers.isEmpty)
    #expect(stage1.batchNorms == ["bn1", "layer1.0.bn2", "layer1.1.bn2", "layer1.2.bn2"])
    // The stage-1 stream is read by every block's conv1 of stage 1, by layer2.0.conv1 and by the
    // option-A shortcut into stage 2.
    #expect(
      stage1.consumers.map(\.node) == [
        "layer1.0.conv1", "layer1.1.conv1", "layer1.2.conv1", "layer2.0.conv1", "layer2.0.shortcut",
      ])
    let stage2 = try #require(groups.group(producedBy: "layer2.0.conv2"))
    #expect(stage2.producers == ["layer2.0.conv2", "layer2.1.conv2", "layer2.2.conv2"])
    #expect(stage2.shortcutProducers == ["layer2.0.shortcut"])
    #expect(stage2.isResidualStream && stage2.id == "stream:layer2.0.conv2")
    let stage3 = try #require(groups.group(producedBy: "layer3.2.conv2"))
    #expect(
      stage3.consumers.last == ChannelConsumer(node: "linear", kind: .linear, featuresPerChannel: 1)
    )
    let inner = try #require(groups.group(producedBy: "layer2.1.conv1"))
    #expect(!inner.isResidualStream && inner.batchNorms == ["layer2.1.bn1"])
    #expect(inner.consumers.map(\.node) == ["layer2.1.conv2"])
  }

  @Test func resnetOptionBProjectionJoinsTheStream() throws {
    let net = try make("resnet20", ModelOptions(inputSize: 8, widthMultiplier: 0.5, shortcut: .b))
    let groups = try ChannelGroups(network: net)
    let stage2 = try #require(groups.group(producedBy: "layer2.0.shortcut.conv"))
    #expect(stage2.producers.contains("layer2.0.conv2") && stage2.shortcutProducers.isEmpty)
    #expect(stage2.batchNorms.contains("layer2.0.shortcut.bn"))
    let stage1 = try #require(groups.group(producedBy: "conv1"))
    #expect(stage1.consumers.map(\.node).contains("layer2.0.shortcut.conv"))
  }

  @Test func lenetFlattenMapsChannelsToFeatures() throws {
    let net = try make("lenet5", ModelOptions(inputChannels: 1, inputSize: 28))
    let groups = try ChannelGroups(network: net)
    #expect(groups.groups.map(\.id) == ["conv1", "conv2"])
    // conv2's 16 channels of 5×5 reach fc1 through the flatten: 25 features each.
    #expect(
      groups.group(id: "conv2")?.consumers == [
        ChannelConsumer(node: "fc1", kind: .linear, featuresPerChannel: 25)
      ])
  }

  @Test func vggEveryConvIsAGroup() throws {
    let net = try make(
      "vgg-small", ModelOptions(inputChannels: 1, inputSize: 16, widthMultiplier: 0.25))
    let groups = try ChannelGroups(network: net)
    #expect(groups.groups.count == 6)
    #expect(groups.groups.allSatisfy { $0.producers.count == 1 && $0.batchNorms.count == 1 })
  }
}
