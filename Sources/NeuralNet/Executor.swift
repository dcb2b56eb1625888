import TensorCore

/// Runs a ``Network``'s forward and backward passes for one batch size, with every kernel and
/// buffer created once.
///
/// Activations stay in oneDNN's blocked layouts from the first convolution to the global pool;
/// only the classifier head is plain. Two fusions are made here (the graph keeps separate
/// nodes): batch norm followed by its only consumer ReLU runs as one BN+ReLU primitive, and an
/// add followed by its only consumer ReLU runs as add with a ReLU post-op. The fused ReLU node
/// shares its producer's buffers. In the backward pass an add hands its output gradient to its
/// inputs by sharing the buffer where the graph allows it (``planGradients``), not by copying.
///
/// A training executor with `fuse` (the default) joins a batch norm whose only consumer is an
/// add (a ResNet block's second batch norm) to that add: the add's step runs both, with the
/// add's ReLU, in one pass (``TensorCore/BatchNormKernel/forwardTrainingResidual(_:addend:scale:shift:relu:into:mean:variance:)``),
/// and the batch norm's own output is not written (its backward reads only its input).
///
/// An inference executor (`training: false`, batch norm on running statistics) with `fuse`
/// (the default) goes further: each chain conv → batch norm → add → ReLU runs as one
/// convolution, with batch norm folded into its weights and bias and the add and ReLU as
/// oneDNN post-ops (``InferenceFusion``, ``FoldedConv``). The folded weights are cached and
/// refolded whenever the network's weights or statistics differ from the ones they came from.
/// The outputs of nodes inside a chain are then not kept: ``activation(_:)`` reads only chain
/// ends; build with `fuse: false` to read every node.
///
/// Call every method from within ``TensorCore/ComputeContext/perform(_:)`` (one thread for all
/// oneDNN work).
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
    /// A node inside a fused inference chain: it runs at the chain's last node.
    case folded
    /// The last node of a fused inference chain: the whole chain runs here.
    case foldedConv(FoldedConv)
  }

  private var steps: [Step] = []
  /// The fused inference chains, refreshed before each forward.
  private var foldedConvs: [FoldedConv] = []
  /// Whether an add passes its gradient to its inputs by sharing the buffer (off only to test
  /// the aliasing against copying).
  let aliasesAddGradients: Bool
  /// Per add step, the input slots whose gradient buffer is the add's own output gradient.
  private var aliasedInputs: [Int: Set<Int>] = [:]
  /// Profile names of fused chains, by anchor step: `<conv>+bn+add+relu`.
  private var chainNames: [Int: String] = [:]
  /// Nodes whose output buffer a later fused chain wrote its result into.
  private var overwritten: Set<Int> = []
  /// Training: batch-norm steps that run inside a later add's step (by the add's step index,
  /// the batch norm's step index), and those batch-norm steps.
  private var residualJoins: [Int: Int] = [:]
  private var joinedBatchNorms: Set<Int> = []
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
  /// Per slot: gradients delivered in this backward pass, and how many it receives in all.
  private var deliveries: [Int] = []
  private var expectedDeliveries: [Int] = []
  /// Slots made by an add with a fused ReLU whose last gradient is summed in: that sum applies
  /// the ReLU's mask too (``TensorCore/ReLUKernel/accumulateMasked(_:into:dst:threads:)``), and
  /// `masked[slot]` tells the add's backward it is done.
  private var masksOnAccumulation: Set<Int> = []
  private var masked: [Bool] = []
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
  ///
  /// `fuse` joins kernels as the type's discussion says (conv chains in inference, batch norm
  /// with a residual add in training); without it every node's output is kept.
  public convenience init(
    network: Network, batch: Int, training: Bool, context: ComputeContext,
    keepGradients: Bool = false, fuse: Bool = true
  ) throws {
    try self.init(
      network: network, batch: batch, training: training, context: context,
      keepGradients: keepGradients, fuse: fuse, aliasAddGradients: true)
  }

  init(
    network: Network, batch: Int, training: Bool, context: ComputeContext,
    keepGradients: Bool, fuse: Bool, aliasAddGradients: Bool
  ) throws {
    guard batch > 0 else { throw NeuralNetError.invalidOption("batch size must be positive") }
    self.aliasesAddGradients = aliasAddGradients
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
    let fusion = !training && fuse ? InferenceFusion(network: network) : nil
    // The step that produces each slot (training joins batch norm into its add).
    var producerStep: [Int: Int] = [:]
    for (i, node) in network.nodes.enumerated() {
      if let fusion, let g = fusion.groupOf[i].map({ fusion.groups[$0] }) {
        guard i == g.anchor else {
          steps.append(.folded)
          inputSlots.append([])
          canonical.append(-1)
          continue
        }
        let f = try makeFoldedConv(g, network: network, slot: slot)
        foldedConvs.append(f)
        chainNames[i] = g.members.map { network.nodes[$0].operation.kindName }.dropFirst()
          .reduce(network.nodes[g.conv].name) { $0 + "+" + $1 }
        steps.append(.foldedConv(f))
        inputSlots.append([f.source] + (f.addend.map { [$0] } ?? []))
        if let o = g.addend, g.inPlace, f.addendCopy == nil {
          let target = try slot(network.nodes[o].name)
          for j in 0..<i where canonical[j + 1] == target { overwritten.insert(j) }
          canonical.append(target)
        } else {
          canonical.append(values.count)
          values.append(Tensor(zeros: f.kernel.dstDescriptor))
        }
        continue
      }
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
        if training && fuse {
          // The first input made by a batch norm that nothing else reads joins this add.
          for (s, name) in zip(ins, node.inputs) where s != 0 && ins.filter({ $0 == s }).count == 1
          {
            guard let j = producerStep[s], case .batchNorm(let b, _, _) = steps[j],
              b.joinsResidual, consumerCount[name] == 1
            else { continue }
            residualJoins[i] = j
            joinedBatchNorms.insert(j)
            chainNames[i] = name + "+" + node.name + (nextIsOnlyReLU ? "+relu" : "")
            break
          }
        }
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
      producerStep[values.count] = i
      canonical.append(values.count)
      values.append(Tensor(zeros: out))
    }
    if training { try planGradients(keepGradients: keepGradients, network: network) }
  }

  /// Builds the kernel of fused chain `g`: the addend is copied first unless the chain may
  /// write into the addend's buffer and the layouts match.
  private func makeFoldedConv(
    _ g: InferenceFusion.Group, network: Network, slot: (String) throws -> Int
  ) throws -> FoldedConv {
    let node = network.nodes[g.conv]
    guard case .conv(let c) = node.operation else {
      throw NeuralNetError.invalidGraph("fused chain starts at '\(node.name)', not a convolution")
    }
    let source = try slot(node.inputs[0])
    let src = values[source].descriptor
    let geometry = ConvGeometry(
      batch: batch, inChannels: c.inChannels, outChannels: c.outChannels, height: src.dims[2],
      width: src.dims[3], kernel: c.kernel, stride: c.stride, padding: c.padding, bias: true)
    let kernel = try Conv2DKernel(
      context: context, geometry: geometry, src: src, training: false,
      postOps: ConvPostOps(sum: g.add != nil, relu: g.relu != nil))
    var addend: Int?
    var copy: ReorderKernel?
    if let o = g.addend {
      let a = o < 0 ? 0 : try slot(network.nodes[o].name)
      addend = a
      let md = values[a].descriptor
      guard md.dims == kernel.dstDescriptor.dims else {
        throw NeuralNetError.invalidGraph(
          "add '\(network.nodes[g.add!].name)' joins \(md) and \(kernel.dstDescriptor)")
      }
      if !g.inPlace || md != kernel.dstDescriptor {
        copy = try ReorderKernel(context: context, from: md, to: kernel.dstDescriptor)
      }
    }
    return FoldedConv(
      kernel: kernel, source: source, addend: addend, addendCopy: copy, conv: node,
      batchNorm: g.batchNorm.map { network.nodes[$0] })
  }

  /// How many add+ReLU outputs take their ReLU mask with their last summed gradient.
  var maskedAccumulationCount: Int { masksOnAccumulation.count }

  /// How many batch norms run joined with their add (training).
  var residualJoinCount: Int { residualJoins.count }

  /// How many times fused chains folded their weights (one per chain per weight version).
  var foldCount: Int { foldedConvs.reduce(0) { $0 + $1.folds } }

  /// Assigns gradient buffers by liveness: a slot's gradient lives from the backward of its
  /// last consumer to the backward of its producer; a buffer is reused once every slot using
  /// it is dead.
  ///
  /// An add's inputs receive its output gradient unchanged, so an input whose first gradient
  /// comes from the add shares the add's buffer instead of getting a copy. Two inputs may share
  /// it together when neither is accumulated into (by its other consumers) before the other's
  /// gradient has been read (by its producer): in a ResNet block the main branch's batch norm
  /// reads the shared gradient before the first convolution adds its own into the block
  /// input's.
  private func planGradients(keepGradients: Bool, network: Network) throws {
    gradIndex = Array(repeating: -1, count: values.count)
    var free: [Int] = []
    var owners: [Int] = []
    func acquire(_ slot: Int) {
      guard slot != 0, gradIndex[slot] < 0 else { return }
      let md = values[slot].descriptor
      if !keepGradients, let k = free.firstIndex(where: { grads[$0].descriptor == md }) {
        gradIndex[slot] = free.remove(at: k)
        owners[gradIndex[slot]] = 1
      } else {
        gradIndex[slot] = grads.count
        grads.append(Tensor(zeros: md))
        owners.append(1)
      }
    }
    var producer = Array(repeating: -1, count: values.count)
    var consumers: [Int: [Int]] = [:]
    for (i, step) in steps.enumerated() {
      if case .fused = step { continue }
      producer[canonical[i + 1]] = i
      for s in Set(inputSlots[i]) { consumers[s, default: []].append(i) }
    }
    acquire(canonical[canonical.count - 1])
    for i in stride(from: steps.count - 1, through: 0, by: -1) {
      if case .fused = steps[i] { continue }
      let out = canonical[i + 1]
      if case .add = steps[i], aliasesAddGradients, !keepGradients, gradIndex[out] >= 0 {
        let ins = inputSlots[i]
        var shared: [Int] = []
        for s in ins where s != 0 && gradIndex[s] < 0 && ins.filter({ $0 == s }).count == 1 {
          let accumulating = { (t: Int) in consumers[t, default: []].filter { $0 != i } }
          let compatible = shared.allSatisfy { m in
            accumulating(s).allSatisfy { $0 < producer[m] }
              && accumulating(m).allSatisfy { $0 < producer[s] }
          }
          if compatible { shared.append(s) }
        }
        for s in shared {
          gradIndex[s] = gradIndex[out]
          owners[gradIndex[out]] += 1
        }
        if !shared.isEmpty { aliasedInputs[i] = Set(shared) }
      }
      for s in inputSlots[i] { acquire(s) }
      if gradIndex[out] >= 0 {
        owners[gradIndex[out]] -= 1
        if owners[gradIndex[out]] == 0 { free.append(gradIndex[out]) }
      }
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
    for (i, step) in steps.enumerated() where !aliasesAddGradients {
      if case .add(let k) = step, k.fuseReLU {
        maskIndex[canonical[i + 1]] = temp(values[canonical[i + 1]].descriptor, 1, &table)
      }
    }
    written = Array(repeating: false, count: values.count)
    deliveries = Array(repeating: 0, count: values.count)
    masked = Array(repeating: false, count: values.count)
    expectedDeliveries = Array(repeating: 0, count: values.count)
    for (slot, n) in slotConsumerCounts() { expectedDeliveries[slot] = n }
    for (i, step) in steps.enumerated() where aliasesAddGradients {
      if case .add(let k) = step, k.fuseReLU, accumulationIndex[canonical[i + 1]] >= 0 {
        masksOnAccumulation.insert(canonical[i + 1])
      }
    }
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
    // The buffers hold `batch × C × H × W > 0` values (checked above and at init), so their
    // base addresses exist.
    if let r = inputReorder {
      plainInput.withUnsafeMutableBufferPointer { dst in
        dst.baseAddress!.update(from: images.baseAddress!, count: images.count)
      }
      try r.execute(plainInput, into: &values[0])
    } else {
      values[0].withUnsafeMutableBufferPointer { dst in
        dst.baseAddress!.update(from: images.baseAddress!, count: images.count)
      }
    }
    if !foldedConvs.isEmpty {
      try timed("fold (check)") { for f in foldedConvs { try f.refresh(from: network) } }
    }
    for (i, step) in steps.enumerated() {
      if case .folded = step { continue }
      try timed("fwd " + (chainNames[i] ?? nodes[i].name)) { try forwardStep(i, step, &network) }
    }
    return values[canonical[canonical.count - 1]]
  }

  private func forwardStep(_ i: Int, _ step: Step, _ network: inout Network) throws {
    let out = canonical[i + 1]
    let a = inputSlots[i].first ?? 0
    switch step {
    case .conv(let k, let w, let b):
      try k.forward(
        values[a], weight: try network.parameter(w), bias: try b.map { try network.parameter($0) },
        into: &values[out])
    case .batchNorm(let k, let prefix, let momentum):
      if training {
        // A joined batch norm runs in its add's step.
        if !joinedBatchNorms.contains(i) {
          try batchNormTraining(i, k, prefix: prefix, momentum: momentum, &network)
        }
      } else {
        let scale = try network.parameter(prefix + ".weight")
        let shift = try network.parameter(prefix + ".bias")
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
      if let j = residualJoins[i], case .batchNorm(let b, let prefix, let momentum) = steps[j] {
        let joined = canonical[j + 1]
        let other = inputSlots[i][0] == joined ? inputSlots[i][1] : inputSlots[i][0]
        try batchNormTraining(
          j, b, prefix: prefix, momentum: momentum, &network,
          residual: (addend: other, relu: k.fuseReLU, into: out))
      } else {
        try k.forward(values[a], values[inputSlots[i][1]], into: &values[out])
      }
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
      try k.forward(values[a], into: &values[out], threads: context.threads)
    case .folded:
      break
    case .foldedConv(let f):
      let src = values[f.source]
      let addend = f.addendCopy == nil ? nil : f.addend.map { values[$0] }
      try f.forward(src, addend: addend, into: &values[out])
    }
  }

  /// Training forward of batch-norm step `i`: batch statistics, normalised output (or, with
  /// `residual`, the sum with the addend slot's value, ReLU'd if asked, into slot `into`) and the
  /// running statistics.
  private func batchNormTraining(
    _ i: Int, _ k: BatchNormKernel, prefix: String, momentum: Float, _ network: inout Network,
    residual: (addend: Int, relu: Bool, into: Int)? = nil
  ) throws {
    let out = canonical[i + 1]
    let a = inputSlots[i][0]
    let scale = try network.parameter(prefix + ".weight")
    let shift = try network.parameter(prefix + ".bias")
    // A training executor made statistics for every batch-norm step at init.
    var st = statistics[out]!
    if let r = residual {
      try k.forwardTrainingResidual(
        values[a], addend: values[r.addend], scale: scale, shift: shift, relu: r.relu,
        into: &values[r.into], mean: &st.mean, variance: &st.variance)
    } else {
      try k.forwardTraining(
        values[a], scale: scale, shift: shift, into: &values[out], mean: &st.mean,
        variance: &st.variance)
    }
    statistics[out] = st
    var rm = try network.takeBuffer(prefix + ".running_mean")
    var rv = try network.takeBuffer(prefix + ".running_var")
    k.updateRunningStatistics(
      mean: st.mean, variance: st.variance, runningMean: &rm, runningVariance: &rv,
      momentum: momentumOverride ?? momentum)
    network.buffers[prefix + ".running_mean"] = rm
    network.buffers[prefix + ".running_var"] = rv
  }

  /// The output of node `name` after the last forward, in a plain layout (for criteria that
  /// read activations).
  public func activation(_ name: String) throws -> Tensor {
    guard let i = nodes.firstIndex(where: { $0.name == name }) else {
      throw NeuralNetError.invalidGraph("no node called '\(name)'")
    }
    guard !joinedBatchNorms.contains(i) else {
      throw NeuralNetError.invalidGraph(
        "'\(name)' runs inside the add that reads it and its output is not kept; build the executor with fuse: false to read it"
      )
    }
    guard canonical[i + 1] >= 0, !overwritten.contains(i) else {
      throw NeuralNetError.invalidGraph(
        "'\(name)' runs inside a fused convolution and its output is not kept; build the executor with fuse: false to read it"
      )
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
    deliveries[slot] += 1
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
      if masksOnAccumulation.contains(slot) && deliveries[slot] == expectedDeliveries[slot] {
        // The last gradient of an add+ReLU's output: sum and mask in one pass.
        try ReLUKernel.accumulateMasked(
          tmp, into: &grads[gradIndex[slot]], dst: values[slot], threads: context.threads)
        masked[slot] = true
      } else {
        let add = try accumulator(for: slot)
        try add.accumulate(tmp, into: &grads[gradIndex[slot]])
      }
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
    for i in written.indices {
      written[i] = false
      deliveries[i] = 0
      masked[i] = false
    }
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
    case .add(let k) where aliasesAddGradients:
      // The ReLU mask is applied in place; inputs in `aliasedInputs` already hold the result.
      let b = gradIndex[out]
      if k.fuseReLU && !masked[out] { try k.backwardReLU(dst: values[out], gradient: &grads[b]) }
      let shared = aliasedInputs[i] ?? []
      let g = grads[b]
      for s in inputSlots[i] {
        if shared.contains(s) {
          written[s] = true
          deliveries[s] += 1
        } else {
          try deliver(s) { Executor.copy(g, into: &$0) }
        }
      }
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
      try deliver(a) { try k.backward(diffDst: dy, into: &$0, threads: context.threads) }
    case .folded, .foldedConv:
      throw NeuralNetError.invalidOption("fused chains exist in inference executors only")
    }
  }
}
