import NeuralNet

/// Where latency measurements were taken: the CPU and the library versions. Measurements from
/// another environment are not reused (the cache is keyed by it).
public struct LatencyEnvironment: Hashable, Sendable, Codable {
  /// `/proc/cpuinfo`'s model name and oneDNN's ISA (``TensorCore/LibraryVersions/cpu``).
  public var cpu: String
  /// oneDNN's version (``TensorCore/LibraryVersions/oneDNN``).
  public var oneDNN: String
  /// The engine's kernel-path version (``TensorCore/LibraryVersions/engineKernels``).
  public var engine: String

  /// An environment.
  public init(cpu: String, oneDNN: String, engine: String) {
    self.cpu = cpu
    self.oneDNN = oneDNN
    self.engine = engine
  }
}

/// A convolution's shape as the latency model keys it (input map size, full channel counts).
public struct ConvLayerShape: Hashable, Sendable, Codable {
  public var inChannels: Int
  public var outChannels: Int
  public var kernel: Int
  public var stride: Int
  public var padding: Int
  /// Input map height and width.
  public var height: Int
  public var width: Int
  /// Whether the layer reads the network's image (plain NCHW input) rather than an activation.
  public var readsImage: Bool

  /// A shape.
  public init(
    inChannels: Int, outChannels: Int, kernel: Int, stride: Int, padding: Int, height: Int,
    width: Int, readsImage: Bool
  ) {
    self.inChannels = inChannels
    self.outChannels = outChannels
    self.kernel = kernel
    self.stride = stride
    self.padding = padding
    self.height = height
    self.width = width
    self.readsImage = readsImage
  }

  /// Output map height (and width: square kernels).
  public var outHeight: Int { (height + 2 * padding - kernel) / stride + 1 }
  public var outWidth: Int { (width + 2 * padding - kernel) / stride + 1 }

  /// A readable key, e.g. `64→64 k3 s1 p1 @32×32`.
  public var key: String {
    "\(inChannels)→\(outChannels) k\(kernel) s\(stride) p\(padding) @\(height)×\(width)"
      + (readsImage ? " image" : "")
  }
}

/// One layer shape's measured times over a grid of kept input × output channel counts.
///
/// With ``blockParity`` (grids measured since session 9) the grid holds, next to each point, the
/// count one block below it, and a prediction interpolates only between counts whose number of
/// blocks has the same parity as the one asked: oneDNN's kernels on this machine run an odd number
/// of 16-channel blocks up to a fifth slower per FLOP than the even counts around it (measured,
/// `shears-microbench SHEARS_INFER=1`: 368 output channels at 2×2 pixels 5.18 ms where 384 take
/// 4.68), which interpolating between even counts cannot see.
public struct LayerLatency: Hashable, Sendable, Codable {
  /// The shape at full width.
  public var shape: ConvLayerShape
  /// Kept input channel counts measured, ascending.
  public var inGrid: [Int]
  /// Kept output channel counts measured, ascending.
  public var outGrid: [Int]
  /// Seconds of one inference call of the whole batch: `seconds[i][o]` at `inGrid[i]`,
  /// `outGrid[o]`.
  public var seconds: [[Double]]
  /// Whether predictions interpolate between counts of the same block parity (false for models
  /// recorded before such grids were measured: they predict as they did).
  public var blockParity: Bool

  /// A measured grid.
  public init(
    shape: ConvLayerShape, inGrid: [Int], outGrid: [Int], seconds: [[Double]],
    blockParity: Bool = false
  ) {
    self.shape = shape
    self.inGrid = inGrid
    self.outGrid = outGrid
    self.seconds = seconds
    self.blockParity = blockParity
  }

  private enum CodingKeys: String, CodingKey {
    case shape, inGrid, outGrid, seconds, blockParity
  }

  /// Decodes a grid; one recorded before ``blockParity`` existed decodes with it false.
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    shape = try c.decode(ConvLayerShape.self, forKey: .shape)
    inGrid = try c.decode([Int].self, forKey: .inGrid)
    outGrid = try c.decode([Int].self, forKey: .outGrid)
    seconds = try c.decode([[Double]].self, forKey: .seconds)
    blockParity = try c.decodeIfPresent(Bool.self, forKey: .blockParity) ?? false
  }

  /// The time at `inputs` × `outputs` kept channels: both rounded up to the layout's block
  /// (the engine computes padded blocks; never beyond the full width), then interpolated
  /// bilinearly on the grid (clamped at its ends) — with ``blockParity``, on the grid points
  /// whose block counts have the parity of the count asked (``parityPoints(_:of:block:)``).
  public func predict(inputs: Int, outputs: Int, block: Int) -> Double {
    let i = LayerLatency.padded(inputs, block: block, full: shape.inChannels)
    let o = LayerLatency.padded(outputs, block: block, full: shape.outChannels)
    let ii =
      blockParity ? LayerLatency.parityPoints(i, of: inGrid, block: block) : Array(inGrid.indices)
    let oi =
      blockParity ? LayerLatency.parityPoints(o, of: outGrid, block: block) : Array(outGrid.indices)
    let (i0, i1, ti) = LayerLatency.bracket(Double(i), ii.map { inGrid[$0] })
    let (o0, o1, to) = LayerLatency.bracket(Double(o), oi.map { outGrid[$0] })
    let a = seconds[ii[i0]][oi[o0]] * (1 - to) + seconds[ii[i0]][oi[o1]] * to
    let b = seconds[ii[i1]][oi[o0]] * (1 - to) + seconds[ii[i1]][oi[o1]] * to
    return a * (1 - ti) + b * ti
  }

  /// The indices of `grid`'s points a count of `x` channels interpolates between: the first
  /// point (the block, a shared anchor at the bottom) and every point whose number of blocks
  /// has the parity of `x`'s — or every point, when none of that parity reaches `x` (a grid
  /// measured without parity neighbours).
  static func parityPoints(_ x: Int, of grid: [Int], block: Int) -> [Int] {
    let same = parityChain(blockParity(of: x, block: block), of: grid, block: block)
    guard let top = same.last, grid[top] >= x else { return Array(grid.indices) }
    return same
  }

  /// The indices of `grid`'s first point and of every point whose number of blocks has
  /// `parity` (0 even, 1 odd), ascending.
  static func parityChain(_ parity: Int, of grid: [Int], block: Int) -> [Int] {
    grid.indices.filter { k in k == 0 || blockParity(of: grid[k], block: block) == parity }
  }

  /// 0 when `count` channels fill an even number of blocks, 1 when odd.
  static func blockParity(of count: Int, block: Int) -> Int {
    let b = max(block, 1)
    return ((count + b - 1) / b) % 2
  }

  /// `count` rounded up to a multiple of `block`, at most `full` (at least 1).
  static func padded(_ count: Int, block: Int, full: Int) -> Int {
    let b = max(block, 1)
    return max(1, min((count + b - 1) / b * b, max(full, count)))
  }

  /// The grid indices around `x` and the fraction between them.
  static func bracket(_ x: Double, _ grid: [Int]) -> (Int, Int, Double) {
    guard let first = grid.first, let last = grid.last else { return (0, 0, 0) }
    if x <= Double(first) { return (0, 0, 0) }
    if x >= Double(last) { return (grid.count - 1, grid.count - 1, 0) }
    var k = 0
    while k + 1 < grid.count && Double(grid[k + 1]) < x { k += 1 }
    let lo = Double(grid[k])
    let hi = Double(grid[k + 1])
    return (k, k + 1, (x - lo) / (hi - lo))
  }
}

/// A latency model of one network on this machine: every conv's measured time over a grid of
/// kept channel counts (``LayerLatency``), and the rest of an inference step (pooling, adds,
/// the classifier: measured whole-network time minus the convolutions' predicted full-width
/// time), which is scaled by the share of conv output channels kept.
///
/// It predicts the inference time of the network with any channel counts — a plan's removed
/// counts per group (``predict(removed:)``) or a pruned network (``predict(network:)``) —
/// without surgery, so allocators can search on it (`target=latency`).
///
/// ```swift
/// let model = try LatencyProfiler(batch: 128).profile(net, context: ctx)
/// model.predict(removed: ["conv1": 8])   // seconds of one batch
/// ```
public struct LatencyModel: Hashable, Sendable, Codable {
  /// One conv node: its shape key and the groups its channel counts follow.
  public struct ConvNode: Hashable, Sendable, Codable {
    /// The node's name.
    public var node: String
    /// ``ConvLayerShape/key`` of its shape, a key of ``LatencyModel/layers``.
    public var shape: String
    /// The group it reads (nil: its input is fixed, the image).
    public var inputGroup: String?
    /// The group it produces into.
    public var outputGroup: String?

    /// A conv node.
    public init(node: String, shape: String, inputGroup: String?, outputGroup: String?) {
      self.node = node
      self.shape = shape
      self.inputGroup = inputGroup
      self.outputGroup = outputGroup
    }
  }

  /// The network's name and fingerprint.
  public var model: String
  public var fingerprint: String
  /// Where it was measured.
  public var environment: LatencyEnvironment
  /// Images per call and OpenMP threads.
  public var batch: Int
  public var threads: Int
  /// The layout's channel block the predictions round up to.
  public var block: Int
  /// Conv nodes in graph order.
  public var convs: [ConvNode]
  /// Measured grids by shape key.
  public var layers: [String: LayerLatency]
  /// Median measured seconds of the whole network's inference step at full width.
  public var measuredSeconds: Double
  /// The part of it outside the convolutions (measured minus predicted conv time, ≥ 0).
  public var otherSeconds: Double
  /// Group widths at full width (the other time scales with the share kept).
  public var groupChannels: [String: Int]
  /// What the profiler noticed while measuring (grids measured again; a machine busy while it
  /// measured), nil when nothing: the model keeps it, so a replay that restores the model
  /// says it again. At most ``maximumNotes``, each at most ``maximumNoteLength`` UTF-8 bytes.
  public var notes: [String]?

  /// The most notes a model keeps, and the longest note (a limit a session file is held to).
  public static let maximumNotes = 8
  public static let maximumNoteLength = 4000

  /// A model; ``LatencyProfiler`` makes them.
  public init(
    model: String, fingerprint: String, environment: LatencyEnvironment, batch: Int,
    threads: Int, block: Int, convs: [ConvNode], layers: [String: LayerLatency],
    measuredSeconds: Double, groupChannels: [String: Int]
  ) {
    self.model = model
    self.fingerprint = fingerprint
    self.environment = environment
    self.batch = batch
    self.threads = threads
    self.block = block
    self.convs = convs
    self.layers = layers
    self.measuredSeconds = measuredSeconds
    self.groupChannels = groupChannels
    self.otherSeconds = 0
    self.otherSeconds = max(0, measuredSeconds - convSeconds(removed: [:]))
  }

  /// Seconds of all convolutions with `removed[g]` channels of each group gone.
  public func convSeconds(removed: [String: Int]) -> Double {
    convs.reduce(0) { total, c in
      guard let layer = layers[c.shape] else { return total }
      let i = c.inputGroup.map { (groupChannels[$0] ?? 0) - (removed[$0] ?? 0) }
      let o = c.outputGroup.map { (groupChannels[$0] ?? 0) - (removed[$0] ?? 0) }
      return total
        + layer.predict(
          inputs: i ?? layer.shape.inChannels, outputs: o ?? layer.shape.outChannels, block: block)
    }
  }

  /// Predicted seconds of one inference step with `removed[g]` channels of each group gone.
  public func predict(removed: [String: Int]) -> Double {
    var kept = 0.0
    var full = 0.0
    for c in convs {
      guard let layer = layers[c.shape] else { continue }
      let area = Double(layer.shape.outHeight * layer.shape.outWidth)
      let o = c.outputGroup.map { (groupChannels[$0] ?? 0) - (removed[$0] ?? 0) }
      kept +=
        area
        * Double(
          LayerLatency.padded(
            o ?? layer.shape.outChannels, block: block, full: layer.shape.outChannels))
      full += area * Double(layer.shape.outChannels)
    }
    let share = full > 0 ? kept / full : 1
    return convSeconds(removed: removed) + otherSeconds * share
  }

  /// The reduction of the predicted time: `1 − predict(removed) / predict([:])`.
  public func reduction(removed: [String: Int]) -> Double {
    1 - predict(removed: removed) / max(predict(removed: [:]), 1e-12)
  }

  /// Predicted seconds of `network` — this model's network after surgery (same node names):
  /// every conv's channel counts read from the network itself.
  public func predict(network: Network) throws -> Double {
    var removed: [String: Int] = [:]
    for c in convs {
      guard case .conv(let spec)? = network.node(named: c.node)?.operation else {
        throw PruningError.invalidOption(
          "\(network.name) has no conv '\(c.node)': the latency model was made for \(model); "
            + "profile this network (profile m)")
      }
      if let g = c.outputGroup, let full = groupChannels[g] {
        removed[g] = full - spec.outChannels
      }
      if let g = c.inputGroup, removed[g] == nil, let full = groupChannels[g] {
        removed[g] = full - spec.inChannels
      }
    }
    return predict(removed: removed)
  }

  /// Checks that the model was made for `network` (same fingerprint).
  public func validate(for network: Network) throws {
    guard fingerprint == network.fingerprint else {
      throw PruningError.invalidOption(
        "the latency model was made for \(model) (fingerprint \(fingerprint)), not "
          + "\(network.name) (\(network.fingerprint)); profile it: lat = profile m")
    }
  }
}
