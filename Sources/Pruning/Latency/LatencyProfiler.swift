import NeuralNet
import TensorCore

/// Measures a ``LatencyModel``: each distinct conv shape of a network is timed with the engine's
/// own inference kernel (``TensorCore/Conv2DKernel``: oneDNN, the activation layout the
/// executor uses, bias and ReLU fused as after batch-norm folding) over a grid of kept input ×
/// output channel counts, then the whole network's inference step is timed once at full width.
///
/// The grid per dimension of `C` channels: the block (16) and `C·k/points` for
/// `k = 1…points`, each rounded up to a multiple of the block (at most `C`), without repeats —
/// 4 points by default, so ResNet-56 needs 3 shapes × at most 16 cells. Each cell is the median
/// of `repeats` timed calls after 2 warm-up calls, and the grid is made non-decreasing in both
/// counts (more channels are never faster; a cell below a smaller one is noise). Shapes found in the `cache` are not measured
/// again.
///
/// Timing is the point of this type: it runs on the context's worker thread, never in parallel.
///
/// ```swift
/// let model = try LatencyProfiler(batch: 128).profile(net, context: ctx, cache: cache)
/// ```
public struct LatencyProfiler: Sendable {
  /// Images per call.
  public var batch: Int
  /// Grid points per channel dimension (besides the block).
  public var points: Int
  /// Timed calls per grid cell.
  public var repeats: Int
  /// Timed whole-network inference steps.
  public var networkRepeats: Int

  /// A profiler; checks that every count is at least 1.
  public init(batch: Int, points: Int = 4, repeats: Int = 5, networkRepeats: Int = 7) throws {
    guard batch >= 1, points >= 1, repeats >= 1, networkRepeats >= 1 else {
      throw PruningError.invalidOption("batch, points and repeats must be at least 1")
    }
    self.batch = batch
    self.points = points
    self.repeats = repeats
    self.networkRepeats = networkRepeats
  }

  /// The environment measurements are taken in now, with convolutions computed by `convolution`
  /// (part of the engine string: Winograd and direct kernels cost differently).
  public static func currentEnvironment(convolution: ConvolutionAlgorithm) -> LatencyEnvironment {
    LatencyEnvironment(
      cpu: LibraryVersions.cpu, oneDNN: LibraryVersions.oneDNN,
      engine: LibraryVersions.engineKernels + " " + convolution.rawValue)
  }

  /// The channel counts measured for a dimension of `full` channels.
  public func grid(_ full: Int, block: Int) -> [Int] {
    var values: Set<Int> = [min(block, full)]
    for k in 1...points {
      let raw = (full * k + points - 1) / points
      values.insert(min(full, max(block, (raw + block - 1) / block * block)))
    }
    return values.sorted()
  }

  /// The conv shapes of `network`, per node in graph order.
  public static func shapes(of network: Network) throws -> [(node: String, shape: ConvLayerShape)] {
    let shapes = try network.outputShapes()
    var result: [(String, ConvLayerShape)] = []
    for node in network.nodes {
      guard case .conv(let c) = node.operation, let input = node.inputs.first,
        let s = shapes[input], s.count == 3
      else { continue }
      result.append(
        (
          node.name,
          ConvLayerShape(
            inChannels: c.inChannels, outChannels: c.outChannels, kernel: c.kernel,
            stride: c.stride, padding: c.padding, height: s[1], width: s[2],
            readsImage: input == Network.inputName)
        ))
    }
    return result
  }

  /// Profiles `network`; `progress` hears each shape as it starts (index, count, key) and may
  /// stop the run by returning false (the profile is then incomplete: ``PruningError``).
  ///
  /// Cached grids are checked against the whole network measured now: when their full-width
  /// cells add up to more than the measured step by over ``staleCacheTolerance``, they cannot
  /// be this machine's times as it runs today (a kernel path changed without a new version, a
  /// slower machine state when they were taken), so those shapes are measured again, the
  /// cache entries replaced, and `notice` is told.
  public func profile(
    _ network: Network, context: ComputeContext, cache: LatencyCache? = nil,
    notice: (String) -> Void = { _ in },
    progress: (Int, Int, String) -> Bool = { _, _, _ in true }
  ) throws -> LatencyModel {
    let wiring = try LatencyProfiler.wiring(of: network)
    let block = MemoryDescriptor.channelBlock
    let environment = LatencyProfiler.currentEnvironment(convolution: context.convolution)
    let shapes = try LatencyProfiler.shapes(of: network)
    var layers: [String: LayerLatency] = [:]
    var keys: [String: LatencyCache.Key] = [:]
    var cachedShapes: [ConvLayerShape] = []
    var distinct: [ConvLayerShape] = []
    for (_, s) in shapes where !distinct.contains(s) { distinct.append(s) }
    for (k, s) in distinct.enumerated() {
      guard progress(k, distinct.count, s.key) else {
        throw PruningError.invalidOption("profiling stopped before \(s.key)")
      }
      let inGrid = s.readsImage ? [s.inChannels] : grid(s.inChannels, block: block)
      let outGrid = grid(s.outChannels, block: block)
      let key = LatencyCache.Key(
        environment: environment, batch: batch, threads: context.threads, shape: s,
        inGrid: inGrid, outGrid: outGrid, repeats: repeats)
      keys[s.key] = key
      if let cached = cache?.load(key) {
        layers[s.key] = cached
        cachedShapes.append(s)
        continue
      }
      let layer = try measure(s, inGrid: inGrid, outGrid: outGrid, context: context)
      try cache?.store(layer, for: key)
      layers[s.key] = layer
    }
    let whole = try measureNetwork(network, context: context)
    var model = LatencyModel(
      model: network.name, fingerprint: network.fingerprint, environment: environment,
      batch: batch, threads: context.threads, block: block, convs: wiring.convs, layers: layers,
      measuredSeconds: whole, groupChannels: wiring.groupChannels)
    let convs = model.convSeconds(removed: [:])
    if !cachedShapes.isEmpty, convs > whole * (1 + staleCacheTolerance) {
      for (k, s) in cachedShapes.enumerated() {
        guard progress(k, cachedShapes.count, s.key + " (again)") else {
          throw PruningError.invalidOption("profiling stopped before \(s.key)")
        }
        let layer = try measure(
          s, inGrid: layers[s.key]!.inGrid, outGrid: layers[s.key]!.outGrid, context: context)
        if let key = keys[s.key] { try cache?.store(layer, for: key) }
        layers[s.key] = layer
      }
      model = LatencyModel(
        model: network.name, fingerprint: network.fingerprint, environment: environment,
        batch: batch, threads: context.threads, block: block, convs: wiring.convs,
        layers: layers, measuredSeconds: whole, groupChannels: wiring.groupChannels)
      notice(
        "the cached latency grids of \(cachedShapes.count) shape(s) added up to "
          + "\(Self.milliseconds(convs)) ms of convolutions, more than the whole network "
          + "measured now (\(Self.milliseconds(whole)) ms): measured them again and "
          + "replaced the cache entries")
    }
    return model
  }

  /// How far the cached grids' full-width convolution time may exceed the whole network's
  /// measured step before they are taken for stale (0.1: 10%; the convolutions are part of
  /// the step, so an honest grid stays below it up to timing noise).
  public static let staleCacheTolerance = 0.1
  var staleCacheTolerance: Double { Self.staleCacheTolerance }

  static func milliseconds(_ seconds: Double) -> String {
    "\((seconds * 100_000).rounded() / 100)"
  }

  /// How `network`'s convolutions connect to its channel groups — one node per conv in graph
  /// order (its shape key, the group it reads, the group it produces) — and every group's full
  /// width: what a ``LatencyModel`` needs besides the timings.
  public static func wiring(of network: Network) throws -> (
    convs: [LatencyModel.ConvNode], groupChannels: [String: Int]
  ) {
    let groups = try ChannelGroups(network: network)
    var producer: [String: String] = [:]
    var reader: [String: String] = [:]
    var widths: [String: Int] = [:]
    for g in groups.groups {
      widths[g.id] = g.channels
      for p in g.producers { producer[p] = g.id }
      for c in g.consumers where c.kind == .conv { reader[c.node] = g.id }
    }
    let convs = try shapes(of: network).map { n, s in
      LatencyModel.ConvNode(node: n, shape: s.key, inputGroup: reader[n], outputGroup: producer[n])
    }
    return (convs, widths)
  }

  /// The grid of one shape.
  func measure(_ s: ConvLayerShape, inGrid: [Int], outGrid: [Int], context: ComputeContext)
    throws -> LayerLatency
  {
    var rng = SeededRNG(seed: 17)
    var seconds: [[Double]] = []
    for ci in inGrid {
      var row: [Double] = []
      for co in outGrid {
        row.append(
          try LatencyProfiler.time(
            ConvGeometry(
              batch: batch, inChannels: ci, outChannels: co, height: s.height, width: s.width,
              kernel: s.kernel, stride: s.stride, padding: s.padding, bias: true),
            plainInput: s.readsImage, repeats: repeats, context: context, rng: &rng))
      }
      seconds.append(row)
    }
    return LayerLatency(
      shape: s, inGrid: inGrid, outGrid: outGrid, seconds: LatencyProfiler.monotone(seconds))
  }

  /// The grid made non-decreasing along both axes (running maxima): a convolution with more
  /// channels is never faster, so a cell measured faster than a smaller one is noise.
  static func monotone(_ grid: [[Double]]) -> [[Double]] {
    var g = grid
    for i in g.indices {
      for o in g[i].indices {
        if i > 0 { g[i][o] = max(g[i][o], g[i - 1][o]) }
        if o > 0 { g[i][o] = max(g[i][o], g[i][o - 1]) }
      }
    }
    return g
  }

  /// Median seconds of one inference call of the engine's conv kernel for `g`.
  public static func time(
    _ g: ConvGeometry, plainInput: Bool, repeats: Int, context: ComputeContext,
    rng: inout SeededRNG
  ) throws -> Double {
    var local = rng
    defer { rng = local }
    return try context.perform {
      let srcMD: MemoryDescriptor = plainInput ? .plain(g.srcDims) : .nChw16c(g.srcDims)
      let kernel = try Conv2DKernel(
        context: context, geometry: g, src: srcMD, training: false,
        postOps: ConvPostOps(relu: true))
      let src = try context.reorder(
        Tensor(shape: g.srcDims, normalStd: 1, rng: &local), to: srcMD)
      let weight = try kernel.prepare(
        weight: Tensor(shape: g.weightDims, normalStd: 0.1, rng: &local))
      let bias = Tensor(zeros: [g.outChannels])
      var dst = Tensor(zeros: kernel.dstDescriptor)
      for _ in 0..<2 { try kernel.forward(src, prepared: weight, bias: bias, into: &dst) }
      var times: [Double] = []
      for _ in 0..<repeats {
        let t0 = MonotonicClock.seconds()
        try kernel.forward(src, prepared: weight, bias: bias, into: &dst)
        times.append(MonotonicClock.seconds() - t0)
      }
      return times.sorted()[times.count / 2]
    }
  }

  /// Median seconds of the whole network's inference step.
  public func measureNetwork(_ network: Network, context: ComputeContext) throws -> Double {
    var rng = SeededRNG(seed: 18)
    let images = (0..<(batch * network.inputShape.reduce(1, *))).map { _ in rng.nextNormal() }
    return try context.perform {
      var net = network
      let executor = try Executor(network: net, batch: batch, training: false, context: context)
      var times: [Double] = []
      try images.withUnsafeBufferPointer { buf in
        for k in 0..<(networkRepeats + 2) {
          let t0 = MonotonicClock.seconds()
          _ = try executor.forward(&net, images: buf)
          if k >= 2 { times.append(MonotonicClock.seconds() - t0) }
        }
      }
      return times.sorted()[times.count / 2]
    }
  }
}
