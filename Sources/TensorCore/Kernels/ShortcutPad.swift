/// The "option A" shortcut of CIFAR ResNets: subsample by `stride` and zero-pad channels,
/// `y = pad_C(x[:, :, ::s, ::s])`, with the input's channels placed at `[pad, pad + Cin)` where
/// `pad = (Cout − Cin) / 2` (He et al. 2016; the PyTorch idiom
/// `F.pad(x[:, :, ::2, ::2], (0, 0, 0, 0, pad, pad))`).
///
/// After pruning the placement is no longer symmetric, so the kernel takes a general
/// `channelMap`: input channel `i` goes to output channel `channelMap[i]` (or nowhere when it is
/// negative). Works directly on plain NCHW and on nChw16c tensors (no reorder); the backward
/// scatters the gradient of the kept channels back to the sampled positions.
public struct ShortcutPadKernel: Sendable {
  /// Input NCHW dims.
  public let srcDims: [Int]
  /// Output channels.
  public let outChannels: Int
  /// Spatial subsampling stride.
  public let stride: Int
  /// Output channel of each input channel (negative: dropped).
  public let channelMap: [Int]

  /// The symmetric placement: input channel `i` → `i + (outChannels − Cin) / 2`.
  public init(srcDims: [Int], outChannels: Int, stride: Int) throws {
    guard srcDims.count == 4, outChannels >= srcDims[1], (outChannels - srcDims[1]) % 2 == 0 else {
      throw TensorCoreError.invalidArgument(
        "option-A shortcut from \(srcDims) to \(outChannels) channels needs an even difference")
    }
    let pad = (outChannels - srcDims[1]) / 2
    try self.init(
      srcDims: srcDims, outChannels: outChannels, stride: stride,
      channelMap: (0..<srcDims[1]).map { $0 + pad })
  }

  /// A general placement: `channelMap[i]` is the output channel of input channel `i`, or < 0.
  public init(srcDims: [Int], outChannels: Int, stride: Int, channelMap: [Int]) throws {
    guard srcDims.count == 4, stride >= 1, channelMap.count == srcDims[1],
      channelMap.allSatisfy({ $0 < outChannels }),
      Set(channelMap.filter { $0 >= 0 }).count == channelMap.filter({ $0 >= 0 }).count
    else {
      throw TensorCoreError.invalidArgument(
        "option-A shortcut from \(srcDims) to \(outChannels) channels, stride \(stride), map \(channelMap)"
      )
    }
    self.srcDims = srcDims
    self.outChannels = outChannels
    self.stride = stride
    self.channelMap = channelMap
  }

  /// Output NCHW dims.
  public var dstDims: [Int] {
    [
      srcDims[0], outChannels, (srcDims[2] + stride - 1) / stride,
      (srcDims[3] + stride - 1) / stride,
    ]
  }

  /// Offset of (n, c, h, w) in a plain or nChw16c buffer of dims `d`.
  @inline(__always)
  static func offset(_ d: [Int], blocked: Bool, _ n: Int, _ c: Int, _ h: Int, _ w: Int) -> Int {
    if blocked {
      let cb = (d[1] + 15) / 16
      return (((n * cb + c / 16) * d[2] + h) * d[3] + w) * 16 + c % 16
    }
    return ((n * d[1] + c) * d[2] + h) * d[3] + w
  }

  private func layoutIsSupported(_ t: Tensor) -> Bool { t.isPlain || t.descriptor.isNChw16c }

  /// Writes `y` (every element, padding channels zeroed).
  public func forward(_ x: Tensor, into y: inout Tensor) throws {
    guard x.shape == srcDims, y.shape == dstDims, layoutIsSupported(x), layoutIsSupported(y)
    else {
      throw TensorCoreError.shapeMismatch("option-A shortcut \(x.descriptor) → \(y.descriptor)")
    }
    y.zero()
    let xd = srcDims
    let yd = dstDims
    let xb = !x.isPlain
    let yb = !y.isPlain
    let xp = x.storage.pointer
    let yp = y.storage.pointer
    for n in 0..<xd[0] {
      for c in 0..<xd[1] where channelMap[c] >= 0 {
        let co = channelMap[c]
        for ho in 0..<yd[2] {
          for wo in 0..<yd[3] {
            yp[Self.offset(yd, blocked: yb, n, co, ho, wo)] =
              xp[Self.offset(xd, blocked: xb, n, c, ho * stride, wo * stride)]
          }
        }
      }
    }
  }

  /// Writes `dx` (every element; positions not sampled get zero).
  public func backward(diffDst dy: Tensor, into dx: inout Tensor) throws {
    guard dx.shape == srcDims, dy.shape == dstDims, layoutIsSupported(dx), layoutIsSupported(dy)
    else {
      throw TensorCoreError.shapeMismatch("option-A shortcut backward \(dy.descriptor)")
    }
    dx.zero()
    let xd = srcDims
    let yd = dstDims
    let xb = !dx.isPlain
    let yb = !dy.isPlain
    let xp = dx.storage.pointer
    let yp = dy.storage.pointer
    for n in 0..<xd[0] {
      for c in 0..<xd[1] where channelMap[c] >= 0 {
        let co = channelMap[c]
        for ho in 0..<yd[2] {
          for wo in 0..<yd[3] {
            xp[Self.offset(xd, blocked: xb, n, c, ho * stride, wo * stride)] =
              yp[Self.offset(yd, blocked: yb, n, co, ho, wo)]
          }
        }
      }
    }
  }
}
