import NeuralNet
import TensorCore
import Testing

/// Inputs that once reached a force-unwrap in the network layer now get a typed error.
@Suite struct TypedErrorTests {
  @Test func builderRejectsAnInputThatWasNotAdded() throws {
    var builder = NetworkBuilder(inputShape: [1, 4, 4], rng: SeededRNG(seed: 0))
    #expect(
      throws: NeuralNetError.invalidGraph("node 'relu1' reads 'nowhere', which is not added yet")
    ) {
      try builder.add("relu1", .relu, inputs: ["nowhere"])
    }
    #expect(builder.nodes.isEmpty)
  }

  @Test func forwardWithARemovedParameterNamesIt() throws {
    var rng = SeededRNG(seed: 0)
    let net = try ModelZoo.make(
      "lenet5", options: ModelOptions(inputChannels: 1, inputSize: 28), rng: &rng)
    let path = net.parameterPaths[0]
    var broken = net
    broken.parameters[path] = nil
    let context = try ComputeContext(threads: 1)
    let images = [Float](repeating: 0.5, count: net.inputShape.reduce(1, *))
    try context.perform {
      let executor = try Executor(network: net, batch: 1, training: false, context: context)
      #expect(throws: NeuralNetError.parameter(path: path, problem: "missing from the network")) {
        _ = try images.withUnsafeBufferPointer { try executor.forward(&broken, images: $0) }
      }
    }
  }

  @Test func emptyTensorFromNoScalars() {
    let t = Tensor(shape: [0, 3], scalars: [])
    #expect(t.shape == [0, 3])
    #expect(t.count == 0)
  }
}
