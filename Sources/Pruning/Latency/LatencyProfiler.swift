import NeuralNet
import TensorCore

/// Measures a ``LatencyModel``: each distinct conv shape of a network is timed with the engine's
/// own inference kernel (``TensorCore/Conv2DKernel``: oneDNN, the activation layout the
/// executor uses, bias and ReLU fused as after batch-norm folding) over a grid of kept input ×
/// output channel counts, and the whole network's inference step is timed at full width before and after them.
///
/// The grid per dimension of `C` channels: the block (16) and `C·k/points` for
/// `k = 1…points`, each rounded up to a multiple of the block (at most `C`), and next to each
/// such point the count one block below it (an odd number of blocks next to an even one: the
/// kernels here cost them differently, ``LayerLatency/blockParity``), without repeats — 4
/// points by default, so a 512-wide layer needs 9 × 9 cells and ResNet-56's 16/32/64-wide ones
/// every block count. Each cell is timed in `rounds` rounds interleaved over all the shapes
/// measured (2 warm-up calls, then the median of `repeats` timed calls), the smallest median
/// kept: a cell measured slow in a process's first seconds (seen: 40–700% over its time in the
/// network) is measured again seconds later. The grid is then made non-decreasing in both
/// counts along the points of each block parity (more channels of the same parity are never
/// faster; a cell below a smaller one is noise). Shapes found in the `cache` are not measured
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
  /// Interleaved rounds over the grid cells (the smallest median of a cell is kept).
  public var rounds: Int
  /// Times one grid cell: ``timing(_:plainInput:repeats:context:rng:)``. Tests replace it to
  /// play a machine that is busy for a while.
  var cellTimer: CellTimer = { g, plain, repeats, context, rng in
    try LatencyProfiler.timing(
      g, plainInput: plain, repeats: repeats, context: context, rng: &rng)
  }

  /// Times one grid cell: geometry, whether the input is the plain image, timed calls.
  typealias CellTimer =
    @Sendable (
      ConvGeometry, Bool, Int, ComputeContext, inout SeededRNG
    ) throws -> CellTiming

  /// A profiler; checks that every count is at least 1.
  public init(
    batch: Int, points: Int = 4, repeats: Int = 5, networkRepeats: Int = 7, rounds: Int = 2
  ) throws {
    guard batch >= 1, points >= 1, repeats >= 1, networkRepeats >= 1, rounds >= 1 else {
      throw PruningError.invalidOption("batch, points, repeats and rounds must be at least 1")
    }
    self.batch = batch
    self.points = points
    self.repeats = repeats
    self.networkRepeats = networkRepeats
    self.rounds = rounds
  }

  /// The environment measurements are taken in now, with convolutions computed by `convolution`
  /// (part of the engine string: Winograd and direct kernels cost differently).
  public static func currentEnvironment(convolution: ConvolutionAlgorithm) -> LatencyEnvironment {
    LatencyEnvironment(
      cpu: LibraryVersions.cpu, oneDNN: LibraryVersions.oneDNN,
      engine: LibraryVersions.engineKernels + " " + convolution.rawValue)
  }

  /// The channel counts measured for a dimension of `full` channels: the points and their
  /// neighbours one block below.
  public func grid(_ full: Int, block: Int) -> [Int] {
    var values: Set<Int> = [min(block, full)]
    for k in 1...points {
      let raw = (full * k + points - 1) / points
      let point = min(full, max(block, (raw + block - 1) / block * block))
      values.insert(point)
      if point > block { values.insert(max(block, (point - 1) / block * block)) }
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
  /// The grids are checked against the whole network measured now: when their full-width
  /// cells add up to more than the measured step by over ``staleCacheTolerance``, they cannot
  /// be this machine's times as it runs today — cached grids from another machine state (a
  /// kernel path changed without a new version), or cells timed while another process held
  /// the cores — so every shape is measured again (a cached grid replaced, a fresh one keeping
  /// the smaller time of each cell) and `notice` is told; it is also told when the grids still
  /// disagree with the network after that (a busy machine: the model follows its slow moments).
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
    // The whole step before and after the grids, the smaller kept (measureNetwork).
    let wholeBefore = try measureNetwork(network, context: context)
    var missing: [(shape: ConvLayerShape, inGrid: [Int], outGrid: [Int])] = []
    for s in distinct {
      let inGrid = s.readsImage ? [s.inChannels] : grid(s.inChannels, block: block)
      let outGrid = grid(s.outChannels, block: block)
      let key = LatencyCache.Key(
        environment: environment, batch: batch, threads: context.threads, shape: s,
        inGrid: inGrid, outGrid: outGrid, repeats: repeats, rounds: rounds)
      keys[s.key] = key
      if let cached = cache?.load(key) {
        layers[s.key] = cached
        cachedShapes.append(s)
      } else {
        missing.append((s, inGrid, outGrid))
      }
    }
    let fresh = Set(missing.map(\.shape.key))
    let first = try measure(missing, context: context, progress: progress)
    for (s, layer) in first.layers {
      if let key = keys[s.key] { try cache?.store(layer, for: key) }
      layers[s.key] = layer
    }
    var whole = min(wholeBefore, try measureNetwork(network, context: context))
    func model(_ layers: [String: LayerLatency], whole: Double) -> LatencyModel {
      LatencyModel(
        model: network.name, fingerprint: network.fingerprint, environment: environment,
        batch: batch, threads: context.threads, block: block, convs: wiring.convs,
        layers: layers, measuredSeconds: whole, groupChannels: wiring.groupChannels)
    }
    let convs = model(layers, whole: whole).convSeconds(removed: [:])
    let inconsistent = convs > whole * (1 + staleCacheTolerance)
    let busy = first.cpuShare.map { $0 < Self.busyShare } ?? false
    guard inconsistent || busy else { return model(layers, whole: whole) }
    let firstWhole = whole
    // Times that are not this machine's: cached grids from another machine state (they add
    // up to more than the whole network), or cells timed while another process held the cores
    // (the process had less than busyShare of them; seen in a parallel test run, where with
    // 2 threads a busy second core made every call wait for a scheduler slice, ~8 ms whatever
    // its size). Every shape is measured again, and the network: a cached grid is replaced, a
    // fresh one keeps the smaller of its two times in each cell.
    let again = distinct.map { s in
      (shape: s, inGrid: layers[s.key]?.inGrid ?? [], outGrid: layers[s.key]?.outGrid ?? [])
    }
    let second = try measure(again, context: context) { k, n, key in
      progress(k, n, key + " (again)")
    }
    for (s, layer) in second.layers {
      var kept = layer
      if fresh.contains(s.key), let earlier = layers[s.key] {
        // Both grids are non-decreasing along each parity chain, so their minimum is too.
        kept.seconds = zip(earlier.seconds, layer.seconds).map { zip($0, $1).map(min) }
      }
      if let key = keys[s.key] { try cache?.store(kept, for: key) }
      layers[s.key] = kept
    }
    whole = min(whole, try measureNetwork(network, context: context))
    var result = model(layers, whole: whole)
    let now = result.convSeconds(removed: [:])
    let what =
      cachedShapes.isEmpty
      ? "the latency grids just measured"
      : fresh.isEmpty
        ? "the cached latency grids of \(cachedShapes.count) shape(s)"
        : "the latency grids (\(cachedShapes.count) shape(s) cached, \(fresh.count) just measured)"
    var reasons: [String] = []
    if inconsistent {
      reasons.append(
        "added up to \(Self.milliseconds(convs)) ms of convolutions, more than the whole "
          + "network measured now (\(Self.milliseconds(firstWhole)) ms)")
    }
    if busy, let share = first.cpuShare {
      reasons.append("were timed with \(Self.percent(share)) of the cores' time")
    }
    var text =
      "\(what) \(reasons.joined(separator: " and ")): measured them again"
      + (cachedShapes.isEmpty ? "" : " and replaced the cache entries")
    var still: [String] = []
    if now > whole * (1 + staleCacheTolerance) {
      still.append("add up to \(Self.milliseconds(now)) ms")
    }
    if let share = second.cpuShare, share < Self.busyShare {
      still.append("had \(Self.percent(share)) of the cores' time")
    }
    if !still.isEmpty {
      text +=
        "; they still \(still.joined(separator: " and ")): this machine was busy while "
        + "profiling (another process on its cores), and plans made with this latency model "
        + "(target=latency, like=, align=latency) follow its slow moments, not this machine's "
        + "times. Profile again when it is quiet"
        + (context.threads > 1
          ? ", or with one thread (--threads 1: a busy core then slows some calls, not every "
            + "call's wait for the other threads)" : "")
    }
    notice(text)
    result.notes = [text]
    return result
  }

  /// The share of the cores' time (CPU seconds over wall seconds × threads, over the timed
  /// calls of a pass) under which the cells are taken for timed on a busy machine and
  /// measured again: 0.8 [impl]. A quiet machine gives 0.95–1 (OpenMP's threads spin between
  /// calls); one other busy process on two cores, about 0.5.
  public static let busyShare = 0.8

  static func percent(_ share: Double) -> String {
    "\(Int((share * 100).rounded()))%"
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

  /// The grids of `shapes`, measured in ``rounds`` interleaved rounds (every shape's cells in
  /// each round; a cell keeps its smallest median), and the share of the cores their timed
  /// calls had (process CPU over wall seconds × threads; nil when nothing was timed);
  /// `progress` hears each shape of each round (index, count, key) and may stop the run by
  /// returning false.
  func measure(
    _ shapes: [(shape: ConvLayerShape, inGrid: [Int], outGrid: [Int])], context: ComputeContext,
    progress: (Int, Int, String) -> Bool
  ) throws -> (layers: [(ConvLayerShape, LayerLatency)], cpuShare: Double?) {
    var cpu = 0.0
    var wall = 0.0
    var best = shapes.map { s in
      [[Double]](
        repeating: [Double](repeating: .infinity, count: s.outGrid.count), count: s.inGrid.count)
    }
    for round in 0..<rounds {
      for (k, s) in shapes.enumerated() {
        let label = s.shape.key + (rounds > 1 ? " (round \(round + 1)/\(rounds))" : "")
        guard progress(round * shapes.count + k, rounds * shapes.count, label) else {
          throw PruningError.invalidOption("profiling stopped before \(s.shape.key)")
        }
        var rng = SeededRNG(seed: 17)
        for (i, ci) in s.inGrid.enumerated() {
          for (o, co) in s.outGrid.enumerated() {
            let t = try cellTimer(
              ConvGeometry(
                batch: batch, inChannels: ci, outChannels: co, height: s.shape.height,
                width: s.shape.width, kernel: s.shape.kernel, stride: s.shape.stride,
                padding: s.shape.padding, bias: true),
              s.shape.readsImage, repeats, context, &rng)
            best[k][i][o] = min(best[k][i][o], t.seconds)
            cpu += t.cpuSeconds
            wall += t.wallSeconds
          }
        }
      }
    }
    let block = MemoryDescriptor.channelBlock
    let share = wall > 0 ? cpu / (wall * Double(context.threads)) : nil
    let layers = shapes.enumerated().map { k, s in
      (
        s.shape,
        LayerLatency(
          shape: s.shape, inGrid: s.inGrid, outGrid: s.outGrid,
          seconds: LatencyProfiler.monotone(
            best[k], inGrid: s.inGrid, outGrid: s.outGrid, block: block),
          blockParity: true)
      )
    }
    return (layers, share)
  }

  /// The grid made non-decreasing along both axes (running maxima) over the points of each
  /// block parity (``LayerLatency/parityPoints(_:of:block:)``: the first point and those whose
  /// block count has the parity): a convolution with more channels of the same parity is never
  /// faster, so a cell measured faster than a smaller one is noise. Across parities it can be:
  /// an odd number of blocks can cost more than the even one above it.
  static func monotone(_ grid: [[Double]], inGrid: [Int], outGrid: [Int], block: Int)
    -> [[Double]]
  {
    func chains(_ points: [Int]) -> [[Int]] {
      [0, 1].map { LayerLatency.parityChain($0, of: points, block: block) }
    }
    var g = grid
    for i in g.indices {
      for chain in chains(outGrid) {
        for (a, b) in zip(chain, chain.dropFirst()) { g[i][b] = max(g[i][b], g[i][a]) }
      }
    }
    for o in outGrid.indices {
      for chain in chains(inGrid) {
        for (a, b) in zip(chain, chain.dropFirst()) { g[b][o] = max(g[b][o], g[a][o]) }
      }
    }
    return g
  }

  /// Median seconds of one inference call of the engine's conv kernel for `g`.
  public static func time(
    _ g: ConvGeometry, plainInput: Bool, repeats: Int, context: ComputeContext,
    rng: inout SeededRNG
  ) throws -> Double {
    try timing(g, plainInput: plainInput, repeats: repeats, context: context, rng: &rng).seconds
  }

  /// One grid cell's timing: the median seconds of its timed calls, and the wall and CPU
  /// seconds (the process's, all threads) those calls took together.
  public struct CellTiming: Sendable {
    /// The median call.
    public var seconds: Double
    /// Wall and process CPU seconds over all the timed calls.
    public var wallSeconds: Double
    public var cpuSeconds: Double
  }

  /// ``time(_:plainInput:repeats:context:rng:)`` with the wall and CPU seconds of the timed
  /// calls (how much of the cores they had).
  public static func timing(
    _ g: ConvGeometry, plainInput: Bool, repeats: Int, context: ComputeContext,
    rng: inout SeededRNG
  ) throws -> CellTiming {
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
      let cpu0 = ProcessCPUClock.seconds()
      let wall0 = MonotonicClock.seconds()
      for _ in 0..<repeats {
        let t0 = MonotonicClock.seconds()
        try kernel.forward(src, prepared: weight, bias: bias, into: &dst)
        times.append(MonotonicClock.seconds() - t0)
      }
      return CellTiming(
        seconds: times.sorted()[times.count / 2], wallSeconds: MonotonicClock.seconds() - wall0,
        cpuSeconds: ProcessCPUClock.seconds() - cpu0)
    }
  }

  /// Median seconds of the whole network's inference step (`networkRepeats` steps after 2
  /// warm-up ones). ``profile(_:context:cache:notice:progress:)`` takes it before and after
  /// the grids and keeps the smaller: the step's time outside the convolutions is this minus
  /// the grids' prediction, and a slow moment here would inflate it.
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
