import TensorCore

/// One fused chain of an inference executor (``InferenceFusion/Group``): a convolution whose
/// following batch norm is folded into its weights and bias, with the add and ReLU as post-ops.
///
/// Folding, per output channel `o`, with `s = γ / √(var + ε)`:
/// `W'[o] = s · W[o]`, `b'[o] = s · (b[o] − mean[o]) + β[o]` (computed in Double).
///
/// The folded weights are cached in the kernel's own layout, together with the tensors they
/// came from (references to their storage, not copies); ``refresh(from:)`` refolds when any of
/// the network's current tensors is not backed by the same storage. Every write to a tensor
/// goes through copy-on-write (``Tensor/makeUnique()``: SGD, batch-norm statistics, element
/// writes, `withUnsafeMutableBufferPointer`), and the reference held here makes the storage
/// shared, so any write gives the network a new storage: training, surgery, a loaded
/// checkpoint, a recalibrated batch norm or weights overwritten in place all invalidate the
/// cache. (Comparing contents instead, as before, read every weight twice per inference pass:
/// 7.6 ms of vgg16's 140 ms batch here.)
final class FoldedConv {
  let kernel: Conv2DKernel
  /// Slot of the convolution's input.
  let source: Int
  /// Slot of the add's other input, when the chain has an add.
  let addend: Int?
  /// Copies the addend into the output before the convolution when the chain is not in place.
  let addendCopy: ReorderKernel?
  private let weightPath: String
  private let biasPath: String?
  private let batchNorm: (prefix: String, epsilon: Float)?
  /// Parameter and buffer paths the folded tensors are made from, and those tensors then.
  private let sources: [(isBuffer: Bool, path: String)]
  private var snapshot: [Tensor] = []
  private var weight: Tensor?
  private var bias: Tensor
  /// How many times the weights were folded (tests check the cache with it).
  private(set) var folds = 0

  init(
    kernel: Conv2DKernel, source: Int, addend: Int?, addendCopy: ReorderKernel?, conv: Node,
    batchNorm: Node?
  ) {
    self.kernel = kernel
    self.source = source
    self.addend = addend
    self.addendCopy = addendCopy
    weightPath = conv.name + ".weight"
    var hasBias = false
    if case .conv(let c) = conv.operation { hasBias = c.bias }
    biasPath = hasBias ? conv.name + ".bias" : nil
    var sources: [(isBuffer: Bool, path: String)] = [(false, weightPath)]
    if let biasPath { sources.append((false, biasPath)) }
    if let bn = batchNorm, case .batchNorm(let spec) = bn.operation {
      self.batchNorm = (bn.name, spec.epsilon)
      sources += [
        (false, bn.name + ".weight"), (false, bn.name + ".bias"),
        (true, bn.name + ".running_mean"), (true, bn.name + ".running_var"),
      ]
    } else {
      self.batchNorm = nil
    }
    self.sources = sources
    bias = Tensor(zeros: [kernel.geometry.outChannels])
  }

  private func tensor(_ source: (isBuffer: Bool, path: String), in network: Network) throws
    -> Tensor
  {
    let t = try source.isBuffer ? network.buffer(source.path) : network.parameter(source.path)
    guard t.isPlain else {
      throw NeuralNetError.invalidGraph("fused convolution needs a plain '\(source.path)'")
    }
    return t
  }

  /// Refolds when any source tensor is not the one the cache was made from.
  func refresh(from network: Network) throws {
    let current = try sources.map { try tensor($0, in: network) }
    if weight != nil, current.count == snapshot.count,
      zip(current, snapshot).allSatisfy({ FoldedConv.same($0, $1) })
    {
      return
    }
    try fold(current)
    snapshot = current
  }

  /// The same storage seen the same way: unchanged, since every write would have copied it.
  private static func same(_ t: Tensor, _ kept: Tensor) -> Bool {
    t.storage === kept.storage && t.descriptor == kept.descriptor
  }

  private func fold(_ t: [Tensor]) throws {
    let w = t[0]
    let out = kernel.geometry.outChannels
    let perChannel = w.count / out
    var conv = biasPath == nil ? [Float](repeating: 0, count: out) : t[1].scalars
    var folded = w
    if batchNorm != nil {
      let k = biasPath == nil ? 1 : 2
      let (gamma, beta, mean, variance) = (t[k].scalars, t[k + 1].scalars, t[k + 2], t[k + 3])
      guard gamma.count == out, mean.count == out, variance.count == out else {
        throw NeuralNetError.invalidGraph("batch norm after '\(weightPath)' has the wrong size")
      }
      let eps = Double(batchNorm!.epsilon)
      let m = mean.scalars
      let v = variance.scalars
      folded.withUnsafeMutableBufferPointer { p in
        for o in 0..<out {
          let s = Double(gamma[o]) / (Double(v[o]) + eps).squareRoot()
          for j in o * perChannel..<(o + 1) * perChannel { p[j] = Float(Double(p[j]) * s) }
          conv[o] = Float(s * (Double(conv[o]) - Double(m[o])) + Double(beta[o]))
        }
      }
    }
    weight = try kernel.prepare(weight: folded)
    bias = Tensor(shape: [out], scalars: conv)
    folds += 1
  }

  /// Runs the chain: `dst = relu(conv'(src) + b' (+ addend))`. `addend` is given when it is
  /// copied first; in place, `dst` already holds it.
  func forward(_ src: Tensor, addend: Tensor?, into dst: inout Tensor) throws {
    guard let weight else {
      throw NeuralNetError.invalidGraph("fused convolution '\(weightPath)' ran before folding")
    }
    if let addendCopy, let addend { try addendCopy.execute(addend, into: &dst) }
    try kernel.forward(src, prepared: weight, bias: bias, into: &dst)
  }
}
