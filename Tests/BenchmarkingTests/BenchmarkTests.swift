import Benchmarking
import NeuralNet
import TensorCore
import Testing

@Suite struct BenchmarkTests {
  @Test func medianIsTheMiddleMeasuredValue() {
    #expect(Benchmark.median([3, 1, 2]) == 2)
    #expect(Benchmark.median([4, 1, 3, 2]) == 3)  // upper middle, not the average 2.5
    #expect(Benchmark.median([7]) == 7)
    #expect(Benchmark.median([]).isNaN)
  }

  @Test func timesRunsWarmUpThenTimedRuns() {
    var runs = 0
    var checks = 0
    var runsAtWarmupEnd = -1
    let times = Benchmark.times(
      warmup: 2, timed: 5, beforeEach: { checks += 1 }, afterWarmup: { runsAtWarmupEnd = runs },
      { runs += 1 })
    #expect(runs == 7)
    #expect(checks == 7)
    #expect(runsAtWarmupEnd == 2)
    #expect(times.count == 5)
    #expect(times.allSatisfy { $0 >= 0 })
  }

  @Test func syntheticBatchMatchesTheNetworkAndTheSeed() throws {
    var rng = SeededRNG(seed: 5)
    let net = try ModelZoo.make(
      "vgg-small", options: ModelOptions(inputChannels: 1, inputSize: 28, widthMultiplier: 0.25),
      rng: &rng)
    var a = SeededRNG(seed: 9)
    var b = SeededRNG(seed: 9)
    let x = SyntheticBatch(network: net, batch: 3, rng: &a)
    let y = SyntheticBatch(network: net, batch: 3, rng: &b)
    #expect(x.images.count == 3 * 28 * 28)
    #expect(x.batch == 3)
    #expect(x.labels.allSatisfy { $0 >= 0 && Int($0) < net.classes })
    #expect(x.images == y.images && x.labels == y.labels)
  }

  @Test func stepBenchmarkTrainsAndChecksBeforeEveryStep() throws {
    var rng = SeededRNG(seed: 5)
    let net = try ModelZoo.make(
      "vgg-small", options: ModelOptions(inputChannels: 1, inputSize: 28, widthMultiplier: 0.25),
      rng: &rng)
    let data = SyntheticBatch(network: net, batch: 2, rng: &rng)
    var checks = 0
    let result = try StepBenchmark(steps: 2, warmup: 1, learningRate: 0.01, profile: true).run(
      net, on: data, context: try ComputeContext(threads: 1), beforeEachStep: { checks += 1 })
    #expect(checks == 2 * (1 + 2))  // training and inference, warm-up and timed
    #expect(result.trainSeconds > 0 && result.inferenceSeconds > 0)
    // Three SGD steps changed the weights.
    #expect(
      net.parameters.contains { path, w in result.network.parameters[path]?.scalars != w.scalars })
    #expect(!(result.profile ?? [:]).isEmpty)
  }
}
