import Datasets
import DurableIO
import Foundation
import NeuralNet
import TensorCore
import Testing

@testable import Pruning

/// The latency model: interpolation on the measured grid, the cache's keying (another CPU or
/// library version measures again), and plans with `target=latency` reaching the predicted
/// reduction asked.
@Suite struct LatencyModelTests {
  static let shape = ConvLayerShape(
    inChannels: 32, outChannels: 32, kernel: 3, stride: 1, padding: 1, height: 8, width: 8,
    readsImage: false)

  @Test func predictionPadsToTheBlockThenInterpolates() {
    let layer = LayerLatency(
      shape: Self.shape, inGrid: [16, 32], outGrid: [16, 32], seconds: [[1, 2], [3, 4]])
    // Block 8: 24 stays 24, halfway from 16 to 32 → between rows 1 and 3 → 2.
    #expect(layer.predict(inputs: 24, outputs: 16, block: 8) == 2)
    // Block 16: 20 pads to 32 on both sides → the corner, 4.
    #expect(layer.predict(inputs: 20, outputs: 20, block: 16) == 4)
    // Narrow counts pad to one block, the grid's first cell.
    #expect(layer.predict(inputs: 5, outputs: 1, block: 16) == 1)
    // Block 1, in 24 (t = 0.5), out 20 (t = 0.25): rows 1.25 and 3.25 → 2.25.
    #expect(abs(layer.predict(inputs: 24, outputs: 20, block: 1) - 2.25) < 1e-12)
  }

  /// Block-parity grids: a count interpolates between the points whose block counts share its
  /// parity (and the block, the anchor at the bottom); hand-computed on one row.
  @Test func parityGridsInterpolateWithinAParity() throws {
    let shape = ConvLayerShape(
      inChannels: 16, outChannels: 128, kernel: 3, stride: 1, padding: 1, height: 2, width: 2,
      readsImage: false)
    // 112 is 7 blocks (odd) and dearer than 128 (8 blocks), as oneDNN's kernels are here.
    let layer = LayerLatency(
      shape: shape, inGrid: [16], outGrid: [16, 112, 128], seconds: [[1, 9, 8]],
      blockParity: true)
    // 64 (4 blocks, even): between 16 and 128 → 1 + 48/112 · 7 = 4.
    #expect(abs(layer.predict(inputs: 16, outputs: 64, block: 16) - 4) < 1e-12)
    // 80 (5 blocks, odd): between 16 and 112 → 1 + 64/96 · 8.
    #expect(abs(layer.predict(inputs: 16, outputs: 80, block: 16) - (1 + 64.0 / 96 * 8)) < 1e-12)
    #expect(layer.predict(inputs: 16, outputs: 112, block: 16) == 9)
    #expect(layer.predict(inputs: 16, outputs: 120, block: 16) == 8)
    // The same grid without parity: 64 lies between 16 and 112 → 1 + 48/96 · 8 = 5.
    var plain = layer
    plain.blockParity = false
    #expect(abs(plain.predict(inputs: 16, outputs: 64, block: 16) - 5) < 1e-12)
    // A grid with no odd point above the anchor (measured before parity neighbours): an odd
    // count interpolates on every point, as before.
    let old = LayerLatency(
      shape: shape, inGrid: [16], outGrid: [16, 64, 128], seconds: [[1, 3, 8]], blockParity: true)
    #expect(abs(old.predict(inputs: 16, outputs: 80, block: 16) - (3 + 16.0 / 64 * 5)) < 1e-12)
    // A grid recorded before the flag decodes without it, and predicts as it did.
    let json =
      #"{"shape":{"inChannels":16,"outChannels":128,"kernel":3,"stride":1,"padding":1,"#
      + #""height":2,"width":2,"readsImage":false},"inGrid":[16],"outGrid":[16,112,128],"#
      + #""seconds":[[1,9,8]]}"#
    let decoded = try JSONDecoder().decode(LayerLatency.self, from: Data(json.utf8))
    #expect(decoded == plain)
  }

  /// The running maxima that smooth a grid follow each parity: an odd count may cost more than
  /// the even one above it, but not less than a smaller count of its parity.
  @Test func monotoneSmoothingKeepsParitiesApart() {
    let smoothed = LatencyProfiler.monotone(
      [[1, 9, 8, 7, 10], [0.5, 2, 2, 2, 2]], inGrid: [16, 32], outGrid: [16, 112, 128, 240, 256],
      block: 16)
    // Row 16: odd chain 16, 112, 240 → 1, 9, 9; even chain 16, 128, 256 → 1, 8, 10.
    #expect(smoothed[0] == [1, 9, 8, 9, 10])
    // Row 32 (even; its chain is 16 → 32): every cell at least the one above it.
    #expect(smoothed[1] == [1, 9, 8, 9, 10])
  }

  /// A half-width vgg-small on 1×8×8 images: six convs, quick to profile.
  static func smallVGG() throws -> Network {
    var rng = SeededRNG(seed: 4)
    return try ModelZoo.make(
      "vgg-small",
      options: ModelOptions(inputChannels: 1, inputSize: 8, classes: 4, widthMultiplier: 0.5),
      rng: &rng)
  }

  static func temporaryDirectory() -> String {
    let path = NSTemporaryDirectory() + "shears-latency-\(UUID().uuidString)"
    return path
  }

  @Test func theCacheIsKeyedByCPUAndLibraryVersions() throws {
    let directory = Self.temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let cache = LatencyCache(directory: directory)
    let env = LatencyEnvironment(cpu: "CPU A; isa 0x1", oneDNN: "2.6.3", engine: "e1")
    let key = LatencyCache.Key(
      environment: env, batch: 8, threads: 2, shape: Self.shape, inGrid: [16, 32],
      outGrid: [16, 32], repeats: 3, rounds: 2)
    let layer = LayerLatency(
      shape: Self.shape, inGrid: [16, 32], outGrid: [16, 32], seconds: [[1, 2], [3, 4]])
    #expect(cache.load(key) == nil)
    try cache.store(layer, for: key)
    #expect(cache.load(key) == layer)
    var otherCPU = key
    otherCPU.environment.cpu = "CPU B; isa 0x1"
    var otherDNNL = key
    otherDNNL.environment.oneDNN = "3.0.0"
    var otherEngine = key
    otherEngine.environment.engine = "e2"
    var otherBatch = key
    otherBatch.batch = 16
    var otherRounds = key
    otherRounds.rounds = 1
    for k in [otherCPU, otherDNNL, otherEngine, otherBatch, otherRounds] {
      #expect(k.fileName != key.fileName)
      #expect(cache.load(k) == nil)
    }
    // A file that holds another key's entry (copied, or a collision) is not believed.
    let bytes = try DurableFile.read(cache.path(for: key))
    try DurableFile.write(bytes, to: cache.path(for: otherCPU))
    #expect(cache.load(otherCPU) == nil)
    // A damaged file is a miss, not an error.
    try DurableFile.write("{not json", to: cache.path(for: key))
    #expect(cache.load(key) == nil)
    #expect(
      LatencyCache.defaultDirectory(environment: ["XDG_CACHE_HOME": "/c", "HOME": "/h"])
        == "/c/shears/latency")
    #expect(
      LatencyCache.defaultDirectory(environment: ["XDG_CACHE_HOME": "rel", "HOME": "/h"])
        == "/h/.cache/shears/latency")
  }

  @Test func aProfileIsReadBackFromTheCache() throws {
    let n = try Self.smallVGG()
    let directory = Self.temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let cache = LatencyCache(directory: directory)
    let context = try ComputeContext(threads: 1)
    let profiler = try LatencyProfiler(batch: 2, points: 2, repeats: 1, networkRepeats: 1)
    let first = try profiler.profile(n, context: context, cache: cache)
    let files = try FileManager.default.contentsOfDirectory(atPath: directory)
    #expect(files.count == first.layers.count)
    #expect(first.convs.count == 6)
    let second = try profiler.profile(n, context: context, cache: cache)
    // Timings never repeat exactly: equal grids mean they came from the files.
    #expect(second.layers == first.layers)
    for layer in first.layers.values {
      #expect(layer.seconds.allSatisfy { $0.allSatisfy { $0 > 0 } })
      #expect(layer.outGrid == profiler.grid(layer.shape.outChannels, block: 16))
    }
    // 64 channels, 2 points: the block, 32 and 64, and 48 one block below 64.
    #expect(profiler.grid(64, block: 16) == [16, 32, 48, 64])
    // 512 channels, 4 points: 128…512 and each one block below.
    #expect(
      try LatencyProfiler(batch: 1).grid(512, block: 16)
        == [16, 112, 128, 240, 256, 368, 384, 496, 512])
    #expect(profiler.grid(8, block: 16) == [8])
  }

  /// Cached grids that cannot be this machine's times now (they add up to more than the whole
  /// network measured) are measured again, replaced in the cache, and reported.
  @Test func aStaleCacheIsMeasuredAgain() throws {
    let n = try Self.smallVGG()
    let directory = Self.temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let cache = LatencyCache(directory: directory)
    let context = try ComputeContext(threads: 1)
    let profiler = try LatencyProfiler(batch: 2, points: 2, repeats: 1, networkRepeats: 3)
    let first = try profiler.profile(n, context: context, cache: cache)
    // Plant a stale grid: every cell one second, far above any real time of these layers.
    let environment = LatencyProfiler.currentEnvironment(convolution: context.convolution)
    var keys: [LatencyCache.Key] = []
    for layer in first.layers.values {
      let key = LatencyCache.Key(
        environment: environment, batch: 2, threads: 1, shape: layer.shape,
        inGrid: layer.inGrid, outGrid: layer.outGrid, repeats: 1, rounds: profiler.rounds)
      var stale = layer
      stale.seconds = layer.seconds.map { $0.map { _ in 1.0 } }
      try cache.store(stale, for: key)
      #expect(cache.load(key) == stale)
      keys.append(key)
    }
    var notices: [String] = []
    let second = try profiler.profile(
      n, context: context, cache: cache, notice: { notices.append($0) })
    #expect(notices.count == 1)
    #expect(notices.first?.contains("measured them again") == true)
    for layer in second.layers.values {
      #expect(layer.seconds.allSatisfy { $0.allSatisfy { $0 > 0 && $0 < 0.5 } })
    }
    #expect(second.convSeconds(removed: [:]) < second.measuredSeconds * 1.5)
    // The cache now holds the new measurements.
    for key in keys {
      #expect(cache.load(key).map { $0.seconds.joined().allSatisfy { $0 < 0.5 } } == true)
    }
  }

  /// Cells timed while the machine is busy (here: every call of the first pass 50× its time,
  /// as a parallel test run made them) add up to more than the whole network: the profile
  /// measures every shape again, keeps the quiet times and says so.
  @Test func aBusyMomentIsMeasuredAgain() throws {
    let run = try Self.profile(try Self.smallVGG(), threads: 1) { $0.seconds *= 50 }
    #expect(run.notices.count == 1, "\(run.notices)")
    #expect(run.notices.first?.contains("just measured") == true, "\(run.notices)")
    #expect(run.notices.first?.contains("measured them again") == true, "\(run.notices)")
    #expect(run.notices.first?.contains("busy") == false, "\(run.notices)")
    #expect(run.cells == 2 * run.perPass)
    #expect(run.model.convSeconds(removed: [:]) <= run.model.measuredSeconds * 1.1)
  }

  /// A machine busy through the whole profile: measured again, still inconsistent, and the
  /// notice says the model follows the busy moments and how to profile instead.
  @Test(arguments: [1, 2]) func aBusyMachineIsReported(threads: Int) throws {
    let run = try Self.profile(try Self.smallVGG(), threads: threads, always: true) {
      $0.seconds *= 50
    }
    #expect(run.notices.count == 1, "\(run.notices)")
    #expect(run.notices.first?.contains("this machine was busy while profiling") == true)
    // One thread is the advice for several; a profile on one is told to wait for quiet.
    #expect(run.notices.first?.contains("--threads 1") == (threads > 1), "\(run.notices)")
    #expect(run.model.notes == run.notices)
    #expect(run.model.convSeconds(removed: [:]) > run.model.measuredSeconds * 1.1)
  }

  /// Cells timed while the process had less than ``LatencyProfiler/busyShare`` of the cores
  /// (another process held them) are measured again even when their times look consistent;
  /// when the second pass has the cores, the notice says so without calling the machine busy.
  @Test func cellsTimedWithoutTheCoresAreMeasuredAgain() throws {
    let n = try Self.smallVGG()
    let run = try Self.profile(n, threads: 1) { $0.cpuSeconds = 0.4 * $0.wallSeconds }
    #expect(run.cells == 2 * run.perPass)
    #expect(run.notices.count == 1, "\(run.notices)")
    #expect(run.notices.first?.contains("were timed with 40% of the cores' time") == true)
    #expect(run.notices.first?.contains("busy") == false, "\(run.notices)")
    #expect(run.model.notes == run.notices)

    // A quiet first pass measures once and notes nothing.
    let quiet = try Self.profile(n, threads: 1) { _ in }
    #expect(quiet.cells == quiet.perPass)
    #expect(quiet.notices.isEmpty && quiet.model.notes == nil, "\(quiet.notices)")
  }

  /// Profiles `n` on `threads` with real cell times, as if the process had all the cores
  /// while each was timed (this test process shares them with the other suites, so its real
  /// share is not the test's to know), and `busy` applied to every cell of the first pass
  /// (of every pass when `always`): the model, the notices, the cells timed and the cells of
  /// one pass.
  static func profile(
    _ n: Network, threads: Int, always: Bool = false,
    busy: @escaping @Sendable (inout LatencyProfiler.CellTiming) -> Void
  ) throws -> (model: LatencyModel, notices: [String], cells: Int, perPass: Int) {
    let context = try ComputeContext(threads: threads)
    var profiler = try LatencyProfiler(batch: 2, points: 2, repeats: 1, networkRepeats: 3)
    let calls = Counter()
    let perPass = Self.cells(n, profiler: profiler)
    profiler.cellTimer = { g, plain, repeats, context, rng in
      var t = try LatencyProfiler.timing(
        g, plainInput: plain, repeats: repeats, context: context, rng: &rng)
      t.cpuSeconds = t.wallSeconds * Double(context.threads)
      let k = calls.next()
      if always || k < perPass { busy(&t) }
      return t
    }
    var notices: [String] = []
    let model = try profiler.profile(n, context: context, notice: { notices.append($0) })
    return (model, notices, calls.value, perPass)
  }

  /// Grid cells a profile of `n` times in one pass over its shapes (every round).
  static func cells(_ n: Network, profiler: LatencyProfiler) -> Int {
    let shapes = (try? LatencyProfiler.shapes(of: n)) ?? []
    var seen: [ConvLayerShape] = []
    var total = 0
    for (_, s) in shapes where !seen.contains(s) {
      seen.append(s)
      let block = MemoryDescriptor.channelBlock
      let inputs = s.readsImage ? 1 : profiler.grid(s.inChannels, block: block).count
      total += inputs * profiler.grid(s.outChannels, block: block).count
    }
    return total * profiler.rounds
  }

  /// A thread-safe call counter for a `@Sendable` timer.
  final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    /// The calls so far, then one more.
    func next() -> Int {
      lock.lock()
      defer { lock.unlock() }
      count += 1
      return count - 1
    }
    var value: Int {
      lock.lock()
      defer { lock.unlock() }
      return count
    }
  }

  /// A latency model whose conv times are their MACs (a known, exact cost) on every channel
  /// count (block 1), and no time outside the convolutions.
  static func macsModel(_ n: Network) throws -> LatencyModel {
    let wiring = try LatencyProfiler.wiring(of: n)
    var layers: [String: LayerLatency] = [:]
    for (_, s) in try LatencyProfiler.shapes(of: n) {
      let ins = Array(1...s.inChannels)
      let outs = Array(1...s.outChannels)
      let area = Double(s.outHeight * s.outWidth * s.kernel * s.kernel)
      layers[s.key] = LayerLatency(
        shape: s, inGrid: ins, outGrid: outs,
        seconds: ins.map { i in outs.map { o in Double(i * o) * area * 1e-9 } })
    }
    var model = LatencyModel(
      model: n.name, fingerprint: n.fingerprint,
      environment: LatencyEnvironment(cpu: "test", oneDNN: "test", engine: "test"), batch: 1,
      threads: 1, block: 1, convs: wiring.convs, layers: layers, measuredSeconds: 0,
      groupChannels: wiring.groupChannels)
    model.otherSeconds = 0
    return model
  }

  @Test func latencyTargetsReachThePredictedReduction() throws {
    let (n, calibration, scores) = try AlignmentTests.fixture()
    let model = try Self.macsModel(n)
    // The model's full-width prediction is the conv MACs: an independent count.
    let byNode = try n.macsByNode()
    let convMACs = n.nodes.reduce(0) { total, node in
      guard case .conv = node.operation else { return total }
      return total + (byNode[node.name] ?? 0)
    }
    #expect(abs(model.predict(removed: [:]) - Double(convMACs) * 1e-9) < 1e-12)
    let planner = try Planner(network: n)
    for strategy in [
      AllocationStrategy.global(normalization: .l2, target: .latency),
      .balanced(target: .latency, granularity: 1),
    ] {
      for ratio in [0.3, 0.5] {
        let plan = try planner.plan(
          scores: scores, ratio: ratio, options: PlanOptions(allocation: strategy),
          calibration: calibration, latency: model)
        let pruned = try Surgery.prune(n, with: plan)
        let reached = 1 - (try model.predict(network: pruned)) / model.predict(removed: [:])
        // At least the target, and over it by at most a few channels' worth (< 2 pp here).
        #expect(reached >= ratio - 1e-9, "\(strategy.name) \(ratio): \(reached)")
        #expect(reached <= ratio + 0.02, "\(strategy.name) \(ratio): \(reached)")
      }
    }
    // No model: a typed error saying how to make one.
    #expect(throws: PruningError.self) {
      try planner.plan(
        scores: scores, ratio: 0.3,
        options: PlanOptions(allocation: .global(normalization: .l2, target: .latency)))
    }
  }
}
