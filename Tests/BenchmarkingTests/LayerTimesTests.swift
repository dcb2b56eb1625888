import Benchmarking
import NeuralNet
import Pruning
import TensorCore
import Testing

/// `shears bench --only pruned --profile`'s per-conv breakdown: every conv of the network, its
/// channel counts read from the network itself, a prediction from the model's grid and a time
/// measured inside the network's inference step.
@Suite struct LayerTimesTests {
  @Test func everyConvIsPredictedAndMeasured() throws {
    var rng = SeededRNG(seed: 4)
    let net = try ModelZoo.make(
      "vgg-small",
      options: ModelOptions(inputChannels: 1, inputSize: 8, classes: 4, widthMultiplier: 0.5),
      rng: &rng)
    let context = try ComputeContext(threads: 1)
    let profiler = try LatencyProfiler(batch: 2, points: 2, repeats: 1, networkRepeats: 1)
    let latency = try profiler.profile(net, context: context)
    let data = SyntheticBatch(network: net, batch: 2, rng: &rng)
    let times = try PrunedBenchmark.layerTimes(
      net, latency: latency, data: data, steps: 2, context: context)
    #expect(times.map(\.node) == latency.convs.map(\.node))
    for t in times {
      guard case .conv(let spec)? = net.node(named: t.node)?.operation else {
        Issue.record("\(t.node) is not a conv")
        continue
      }
      #expect(t.inChannels == spec.inChannels && t.outChannels == spec.outChannels)
      #expect(t.predicted > 0 && t.measured > 0, "\(t.node)")
    }
  }
}
