import TensorCore

/// Runs a ``Network``'s forward and backward passes for one batch size, with every kernel and
/// buffer created once.
///
/// Activations stay in oneDNN's blocked layouts from the first convolution to the global pool;
/// only the classifier head is plain. Two fusions are made here (the graph keeps separate
/// nodes): batch norm followed by its only consumer ReLU runs as one BN+ReLU primitive, and an
/// add followed by its only consumer ReLU runs as add with a ReLU post-op. The fused ReLU node
/// shares its producer's buffers.
///
/// Call every method from within ``TensorCore/ComputeContext/perform(_:)`` (one thread for all
/// oneDNN work). An executor made with `training: false` runs batch norm on running statistics.
public final class Executor {
  /// The batch size it was built for.
  public let batch: Int
  /// Whether it computes gradients (batch norm in training mode).
  public let training: Bool
  /// Whether every activation's gradient is kept after a backward pass.
  let keepsGradients: Bool
  /// The graph it was built for.
  public let nodes: [Node]
  /// The compute context its kernels run in.
  public let context: ComputeContext
  let inputShape: [Int]

  private enum Step {
    case conv(Conv2DKernel, weight: String, bias: String?)
    case batchNorm(BatchNormKernel, prefix: String, momentum: Float)
    case relu(ReLUKernel)
    case fused
    case pool(PoolingKernel)
    case add(AddKernel)
    case flatten(toPlain: ReorderKernel?, toBlocked: ReorderKernel?, mapDims: [Int])
    case linear(weight: String, bias: String?)
    case shortcut(ShortcutPadKernel)
  }

  private var steps: [Step] = []
  /// Node slots: slot 0 is the image, slot i+1 node i's output; `canonical[slot]` is the index
  /// into `values`/`grads` (a fused ReLU's slot maps to its producer's buffer).
  private var canonical: [Int] = []
  private var inputSlots: [[Int]] = []
  private var values: [Tensor] = []
  /// Gradient buffers, shared between slots whose gradients are never alive at the same time
  /// (planned once from the backward order); `gradIndex[slot]` picks a slot's buffer.
  private var grads: [Tensor] = []
  private var gradIndex: [Int] = []
  /// Per-layout temporaries: `accumulationIndex[slot]` for summing a second gradient into a
  /// slot, `maskIndex[slot]` for an add's ReLU-masked gradient.
  private var temps: [Tensor?] = []
  private var accumulationIndex: [Int] = []
  private var maskIndex: [Int] = []
  private var written: [Bool] = []
  private var statistics: [Int: (mean: Tensor, variance: Tensor)] = [:]
  private var inputReorder: ReorderKernel?
  private var plainInput: Tensor
  /// When set (by ``enableProfiling()``), seconds spent per node, keyed `fwd <node>` /
  /// `bwd <node>`, accumulated over calls. Used by `shears bench --profile`.
  public private(set) var profile: [String: Double]? = nil

  /// Starts accumulating per-node timings into ``profile``.
  public func enableProfiling() { profile = [:] }

  private func timed(_ key: @autoclosure () -> String, _ body: () throws -> Void) rethrows {
    guard profile != nil else { return try body() }
    let t0 = MonotonicClock.seconds()
    try body()
    // `profile` is non-nil: the guard above returned otherwise.
    profile![key(), default: 0] += MonotonicClock.seconds() - t0
  }

  /// When set, training-mode forward passes update every batch norm's running statistics with
  /// this momentum instead of the layer's own (``recalibrateBatchNorm(_:on:batches:)`` sets
  /// `1/b` on the b-th batch, which makes the statistics a plain average over the batches).
  public var momentumOverride: Float? = nil

  /// Gradients of the parameters after ``backward(_:lossGradient:)``, by path.
  public private(set) var parameterGradients: [String: Tensor] = [:]

  /// Builds kernels and buffers for `network`'s graph at `batch` images.
  ///
  /// With `keepGradients`, every activation keeps its own gradient buffer so that
  /// ``activationGradient(_:)`` can read any of them after a backward pass (criteria such as
  /// Taylor need this); otherwise buffers are shared by liveness, which roughly halves the
  /// memory of a training step.
  public init(
    network: Network, batch: Int, training: Bool, context: ComputeContext,
    keepGradients: Bool = false
  ) throws {
    guard batch > 0 else { throw NeuralNetError.invalidOption("batch size must be positive") }
    self.batch = batch
    self.training = training
    self.keepsGradients = keepGradients
    self.nodes = network.nodes
    self.context = context
    self.inputShape = network.inputShape
    let inDims = [batch] + network.inputShape
    plainInput = Tensor(zeros: inDims)
    let inputMD: MemoryDescriptor = network.inputShape[0] < 8 ? .plain(inDims) : .nChw16c(inDims)
    if inputMD != plainInput.descriptor {
      inputReorder = try ReorderKernel(context: context, from: plainInput.descriptor, to: inputMD)
    }
    values = [Tensor(zeros: inputMD)]
    canonical = [0]
    let index = Dictionary(
      uniqueKeysWithValues: network.nodes.enumerated().map { ($1.name, $0 + 1) })
    func slot(_ name: String) throws -> Int {
      if name == Network.inputName { return 0 }
      guard let i = index[name] else {
        throw NeuralNetError.invalidGraph("a node reads '\(name)', which is not in the network")
      }
      return canonical[i]
    }
    let consumerCount = Dictionary(
      network.nodes.flatMap { $0.inputs }.map { ($0, 1) }, uniquingKeysWith: +)
    var fusedInto: Set<String> = []
    for (i, node) in network.nodes.enumerated() {
      let ins = try node.inputs.map(slot)
      inputSlots.append(ins)
      let src = values[ins[0]].descriptor
      // A ReLU whose producer fused it shares the producer's slot.
      if case .relu = node.operation, fusedInto.contains(node.inputs[0]) {
        steps.append(.fused)
        canonical.append(ins[0])
        continue
      }
      let nextIsOnlyReLU: Bool = {
        guard consumerCount[node.name] == 1, i + 1 < network.nodes.count else { return false }
        let next = network.nodes[i + 1]
        return next.operation == .relu && next.inputs == [node.name]
      }()
      var out: MemoryDescriptor
      switch node.operation {
      case .conv(let c):
        let g = ConvGeometry(
          batch: batch, inChannels: c.inChannels, outChannels: c.outChannels, height: src.dims[2],
          width: src.dims[3], kernel: c.kernel, stride: c.stride, padding: c.padding, bias: c.bias)
        let k = try Conv2DKernel(context: context, geometry: g, src: src, training: training)
        steps.append(
          .conv(k, weight: node.name + ".weight", bias: c.bias ? node.name + ".bias" : nil))
        out = k.dstDescriptor
      case .batchNorm(let b):
        let k = try BatchNormKernel(
          context: context, descriptor: src, epsilon: b.epsilon, fuseReLU: nextIsOnlyReLU,
          training: training)
        if nextIsOnlyReLU { fusedInto.insert(node.name) }
        steps.append(.batchNorm(k, prefix: node.name, momentum: b.momentum))
        out = src
        if training {
          statistics[values.count] = (Tensor(zeros: [b.channels]), Tensor(zeros: [b.channels]))
        }
      case .relu:
        steps.append(.relu(try ReLUKernel(context: context, descriptor: src, training: training)))
        out = src
      case .maxPool(let p), .avgPool(let p):
        let kind: PoolingKind = node.operation.kindName == "maxpool" ? .max : .average
        let g = PoolingGeometry(
          batch: batch, channels: src.dims[1], height: src.dims[2], width: src.dims[3],
          kernel: p.kernel, stride: p.stride, padding: p.padding)
        let k = try PoolingKernel(
          context: context, geometry: g, kind: kind, src: src, training: training)
        steps.append(.pool(k))
        out = k.dstDescriptor
      case .globalAvgPool:
        let g = PoolingGeometry.global(
          batch: batch, channels: src.dims[1], height: src.dims[2], width: src.dims[3])
        let k = try PoolingKernel(
          context: context, geometry: g, kind: .average, src: src, training: training)
        steps.append(.pool(k))
        out = k.dstDescriptor
      case .add:
        guard values[ins[1]].descriptor == src else {
          throw NeuralNetError.invalidGraph(
            "add '\(node.name)' joins layouts \(src) and \(values[ins[1]].descriptor)")
        }
        let k = try AddKernel(
          context: context, descriptor: src, fuseReLU: nextIsOnlyReLU, training: training)
        if nextIsOnlyReLU { fusedInto.insert(node.name) }
        steps.append(.add(k))
        out = src
      case .flatten:
        let d = src.dims
        let plain = MemoryDescriptor.plain(d)
        let toPlain = src == plain ? nil : try ReorderKernel(context: context, from: src, to: plain)
        let toBlocked =
          src == plain ? nil : try ReorderKernel(context: context, from: plain, to: src)
        steps.append(.flatten(toPlain: toPlain, toBlocked: toBlocked, mapDims: d))
        out = .plain([batch, d.dropFirst().reduce(1, *)])
      case .linear(let l):
        guard src.dims == [batch, l.inFeatures], src.isPlain else {
          throw NeuralNetError.invalidGraph(
            "linear '\(node.name)' needs a flat [N, \(l.inFeatures)] input, gets \(src)")
        }
        steps.append(
          .linear(weight: node.name + ".weight", bias: l.bias ? node.name + ".bias" : nil))
        out = .plain([batch, l.outFeatures])
      case .shortcutPad(let s):
        let k = try ShortcutPadKernel(
          srcDims: src.dims, outChannels: s.outChannels, stride: s.stride, channelMap: s.channelMap)
        steps.append(.shortcut(k))
        out = src.isPlain ? .plain(k.dstDims) : .nChw16c(k.dstDims)
      }
      canonical.append(values.count)
      values.append(Tensor(zeros: out))
    }
    if training { try planGradients(keepGradients: keepGradients, network: network) }
  }

  /// Assigns gradient buffers by liveness: a slot's gradient lives from the backward of its
  /// last consumer to the backward of its producer.
  private func planGradients(keepGradients: Bool, network: Network) throws {
    gradIndex = Array(repeating: -1, count: values.count)
    var free: [Int] = []
    func acquire(_ slot: Int) {
      guard slot != 0, gradIndex[slot] < 0 else { return }
      let md = values[slot].descriptor
      if !keepGradients, let k = free.firstIndex(where: { grads[$0].descriptor == md }) {
        gradIndex[slot] = free.remove(at: k)
      } else {
        gradIndex[slot] = grads.count
        grads.append(Tensor(zeros: md))
      }
    }
    acquire(canonical[canonical.count - 1])
    for i in stride(from: steps.count - 1, through: 0, by: -1) {
      if case .fused = steps[i] { continue }
      for s in inputSlots[i] { acquire(s) }
      let out = canonical[i + 1]
      if gradIndex[out] >= 0 { free.append(gradIndex[out]) }
    }
    // Temporaries, one of each kind per layout.
    func temp(_ md: MemoryDescriptor, _ kind: Int, _ table: inout [(MemoryDescriptor, Int, Int)])
      -> Int
    {
      if let hit = table.first(where: { $0.0 == md && $0.1 == kind }) { return hit.2 }
      temps.append(Tensor(zeros: md))
      table.append((md, kind, temps.count - 1))
      return temps.count - 1
    }
    var table: [(MemoryDescriptor, Int, Int)] = []
    accumulationIndex = Array(repeating: -1, count: values.count)
    maskIndex = Array(repeating: -1, count: values.count)
    for (slot, n) in slotConsumerCounts() where n > 1 && slot != 0 {
      accumulationIndex[slot] = temp(values[slot].descriptor, 0, &table)
    }
    for (i, step) in steps.enumerated() {
      if case .add(let k) = step, k.fuseReLU {
        maskIndex[canonical[i + 1]] = temp(values[canonical[i + 1]].descriptor, 1, &table)
      }
    }
    written = Array(repeating: false, count: values.count)
    for node in network.nodes {
      for (path, shape) in Network.parameterShapes(of: node) {
        parameterGradients[path] = Tensor(zeros: shape)
      }
    }
  }

  private func slotConsumerCounts() -> [Int: Int] {
    var counts: [Int: Int] = [:]
    for (i, ins) in inputSlots.enumerated() {
      if case .fused = steps[i] { continue }
      for s in ins { counts[s, default: 0] += 1 }
    }
    return counts
  }

  /// The graph with option-A channel maps blanked: a network whose shortcut maps changed (a
  /// masked plan) runs on the same executor — the shortcut kernel is rebuilt on the fly.
  private static func structure(_ nodes: [Node]) -> [Node] {
    nodes.map { node in
      guard case .shortcutPad(var spec) = node.operation else { return node }
      spec.channelMap = []
      var n = node
      n.operation = .shortcutPad(spec)
      return n
    }
  }

  private func checkGraph(_ network: Network) throws {
    guard network.nodes == nodes || Executor.structure(network.nodes) == Executor.structure(nodes)
    else {
      throw NeuralNetError.invalidGraph("the executor was built for another graph; rebuild it")
    }
  }

  /// Runs the forward pass on `images` (plain NCHW, `batch` images) and returns the logits
  /// (plain `[batch, classes]`). In training mode batch-norm running statistics in `network`
  /// are updated.
  public func forward(_ network: inout Network, images: UnsafeBufferPointer<Float>) throws -> Tensor
  {
    try checkGraph(network)
    guard images.count == plainInput.count else {
      throw NeuralNetError.dataMismatch(
        "got \(images.count) values, the executor takes \(batch) images of \(inputShape)")
    }
    // Both buffers hold `batch × C × H × W > 0` values (checked above and at init), so their
    // base addresses exist.
    plainInput.withUnsafeMutableBufferPointer { dst in
      dst.baseAddress!.update(from: images.baseAddress!, count: images.count)
    }
    if let r = inputReorder {
      try r.execute(plainInput, into: &values[0])
    } else {
      values[0].withUnsafeMutableBufferPointer { dst in
        dst.baseAddress!.update(from: images.baseAddress!, count: images.count)
      }
    }
    for (i, step) in steps.enumerated() {
      try timed("fwd " + nodes[i].name) { try forwardStep(i, step, &network) }
    }
    return values[canonical[canonical.count - 1]]
  }

  private func forwardStep(_ i: Int, _ step: Step, _ network: inout Network) throws {
    let out = canonical[i + 1]
    let a = inputSlots[i][0]
    switch step {
    case .conv(let k, let w, let b):
      try k.forward(
        values[a], weight: try network.parameter(w), bias: try b.map { try network.parameter($0) },
        into: &values[out])
    case .batchNorm(let k, let prefix, let momentum):
      let scale = try network.parameter(prefix + ".weight")
      let shift = try network.parameter(prefix + ".bias")
      if training {
        // A training executor made statistics for every batch-norm step at init.
        var st = statistics[out]!
        try k.forwardTraining(
          values[a], scale: scale, shift: shift, into: &values[out], mean: &st.mean,
          variance: &st.variance)
        statistics[out] = st
        var rm = try network.takeBuffer(prefix + ".running_mean")
        var rv = try network.takeBuffer(prefix + ".running_var")
        k.updateRunningStatistics(
          mean: st.mean, variance: st.variance, runningMean: &rm, runningVariance: &rv,
          momentum: momentumOverride ?? momentum)
        network.buffers[prefix + ".running_mean"] = rm
        network.buffers[prefix + ".running_var"] = rv
      } else {
        try k.forwardInference(
          values[a], scale: scale, shift: shift,
          mean: try network.buffer(prefix + ".running_mean"),
          variance: try network.buffer(prefix + ".running_var"), into: &values[out])
      }
    case .relu(let k):
      try k.forward(values[a], into: &values[out])
    case .fused:
      break
    case .pool(let k):
      try k.forward(values[a], into: &values[out])
    case .add(let k):
      try k.forward(values[a], values[inputSlots[i][1]], into: &values[out])
    case .flatten(let toPlain, _, _):
      try copyFlat(from: values[a], reorder: toPlain, into: &values[out])
    case .linear(let w, let b):
      try LinearKernel.forward(
        values[a], weight: try network.parameter(w), bias: try b.map { try network.parameter($0) },
        into: &values[out])
    case .shortcut(var k):
      // A changed channel map (a masked or differently pruned plan) rebuilds the kernel.
      if case .shortcutPad(let spec) = network.nodes[i].operation, spec.channelMap != k.channelMap {
        k = try ShortcutPadKernel(
          srcDims: k.srcDims, outChannels: k.outChannels, stride: k.stride,
          channelMap: spec.channelMap)
        steps[i] = .shortcut(k)
      }
      try k.forward(values[a], into: &values[out])
    }
  }

  /// The output of node `name` after the last forward, in a plain layout (for criteria that
  /// read activations).
  public func activation(_ name: String) throws -> Tensor {
    guard let i = nodes.firstIndex(where: { $0.name == name }) else {
      throw NeuralNetError.invalidGraph("no node called '\(name)'")
    }
    return try context.plain(values[canonical[i + 1]])
  }

  /// The gradient with respect to node `name`'s output after the last backward, plain.
  public func activationGradient(_ name: String) throws -> Tensor {
    guard training, keepsGradients, let i = nodes.firstIndex(where: { $0.name == name }) else {
      throw NeuralNetError.invalidGraph(
        "no gradient kept for '\(name)': build the executor with keepGradients: true")
    }
    return try context.plain(grads[gradIndex[canonical[i + 1]]])
  }

  private func copyFlat(from src: Tensor, reorder: ReorderKernel?, into dst: inout Tensor) throws {
    guard let reorder else { return Executor.copy(src, into: &dst) }
    var tmp = Tensor(zeros: reorder.to)
    try reorder.execute(src, into: &tmp)
    Executor.copy(tmp, into: &dst)
  }

  /// Gives slot `slot` the gradient `compute` produces: written directly the first time in a
  /// pass, accumulated through the slot's scratch buffer after that.
  private func deliver(_ slot: Int, _ compute: (inout Tensor) throws -> Void) throws {
    if slot == 0 { return }
    if !written[slot] {
      try compute(&grads[gradIndex[slot]])
      written[slot] = true
    } else {
      let t = accumulationIndex[slot]
      guard t >= 0, var tmp = temps[t] else {
        throw NeuralNetError.invalidGraph("gradient accumulation buffer missing for slot \(slot)")
      }
      temps[t] = nil
      try compute(&tmp)
      let add = try accumulator(for: slot)
      try add.accumulate(tmp, into: &grads[gradIndex[slot]])
      temps[t] = tmp
    }
  }

  private var accumulators: [Int: AddKernel] = [:]
  private func accumulator(for slot: Int) throws -> AddKernel {
    if let k = accumulators[slot] { return k }
    let k = try AddKernel(
      context: context, descriptor: grads[gradIndex[slot]].descriptor, training: false)
    accumulators[slot] = k
    return k
  }

  /// Copies between two buffers of one layout and size (never empty: every tensor of an
  /// executor has positive dimensions, so the base addresses exist).
  private static func copy(_ src: Tensor, into dst: inout Tensor) {
    dst.withUnsafeMutableBufferPointer { d in
      src.withUnsafeBufferPointer { s in d.baseAddress!.update(from: s.baseAddress!, count: d.count)
      }
    }
  }

  /// Back-propagates `lossGradient` (plain `[batch, classes]`, usually
  /// ``TensorCore/SoftmaxCrossEntropyResult/gradient``) through the last forward pass and fills
  /// ``parameterGradients``.
  public func backward(_ network: Network, lossGradient: Tensor) throws {
    guard training else {
      throw NeuralNetError.invalidOption("this executor was built for inference")
    }
    try checkGraph(network)
    for i in written.indices { written[i] = false }
    let last = canonical[canonical.count - 1]
    guard lossGradient.shape == grads[gradIndex[last]].shape else {
      throw NeuralNetError.dataMismatch(
        "loss gradient \(lossGradient.shape) vs \(grads[gradIndex[last]].shape)")
    }
    Executor.copy(lossGradient, into: &grads[gradIndex[last]])
    written[last] = true
    for i in stride(from: steps.count - 1, through: 0, by: -1) {
      try timed("bwd " + nodes[i].name) { try backwardStep(i, network) }
    }
  }

  /// Invariants the unwraps below rely on: `parameterGradients` has an entry for every
  /// parameter path of the graph from init (and the batch-norm case puts its two back), a
  /// training executor has `statistics` for every batch-norm step, and `temps[maskIndex[out]]`
  /// is the add's mask buffer that `planGradients` made (taken and put back here).
  private func backwardStep(_ i: Int, _ network: Network) throws {
    let out = canonical[i + 1]
    let a = inputSlots[i][0]
    switch steps[i] {
    case .conv(let k, let w, let b):
      var bg: Tensor? = b.map { parameterGradients[$0]! }
      try k.backwardWeights(
        values[a], grads[gradIndex[out]], weightGrad: &parameterGradients[w]!, biasGrad: &bg)
      if let b { parameterGradients[b] = bg }
      if a != 0 {
        let weight = try network.parameter(w)
        let dy = grads[gradIndex[out]]
        try deliver(a) { try k.backwardData(dy, weight: weight, into: &$0) }
      }
    case .batchNorm(let k, let prefix, _):
      let st = statistics[out]!
      let dy = grads[gradIndex[out]]
      let x = values[a]
      let scale = try network.parameter(prefix + ".weight")
      let shift = try network.parameter(prefix + ".bias")
      var dScale = parameterGradients[prefix + ".weight"]!
      var dShift = parameterGradients[prefix + ".bias"]!
      parameterGradients[prefix + ".weight"] = nil
      parameterGradients[prefix + ".bias"] = nil
      try deliver(a) {
        try k.backward(
          x, diffDst: dy, scale: scale, shift: shift, mean: st.mean, variance: st.variance,
          diffSrc: &$0,
          diffScale: &dScale, diffShift: &dShift)
      }
      parameterGradients[prefix + ".weight"] = dScale
      parameterGradients[prefix + ".bias"] = dShift
    case .relu(let k):
      let y = values[out]
      let dy = grads[gradIndex[out]]
      try deliver(a) { try k.backward(dst: y, diffDst: dy, into: &$0) }
    case .fused:
      break
    case .pool(let k):
      let dy = grads[gradIndex[out]]
      try deliver(a) { try k.backward(diffDst: dy, into: &$0) }
    case .add(let k):
      var g = grads[gradIndex[out]]
      if k.fuseReLU {
        let t = maskIndex[out]
        var masked = temps[t]!
        temps[t] = nil
        try k.backwardReLU(dst: values[out], diffDst: g, into: &masked)
        temps[t] = masked
        g = masked
      }
      for s in inputSlots[i] {
        try deliver(s) { Executor.copy(g, into: &$0) }
      }
    case .flatten(_, let toBlocked, let dims):
      let dy = grads[gradIndex[out]].reshaped(dims)
      try deliver(a) { dst in
        if let toBlocked {
          try toBlocked.execute(dy, into: &dst)
        } else {
          Executor.copy(dy, into: &dst)
        }
      }
    case .linear(let w, let b):
      var bg: Tensor? = b.map { parameterGradients[$0]! }
      let dy = grads[gradIndex[out]]
      let weight = try network.parameter(w)
      try LinearKernel.backwardWeights(
        values[a], diffY: dy, diffWeight: &parameterGradients[w]!, diffBias: &bg)
      if let b { parameterGradients[b] = bg }
      try deliver(a) { try LinearKernel.backwardData(dy, weight: weight, into: &$0) }
    case .shortcut(let k):
      let dy = grads[gradIndex[out]]
      try deliver(a) { try k.backward(diffDst: dy, into: &$0) }
    }
  }
}
