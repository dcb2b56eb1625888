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

  /// Strides of a plain or nChw16c buffer of dims `d`: per image, per row, per column, and
  /// the offset of each channel.
  struct Strides {
    var image: Int
    var row: Int
    var column: Int
    var channel: [Int]

    init(_ d: [Int], blocked: Bool) {
      if blocked {
        let cb = (d[1] + 15) / 16
        image = cb * d[2] * d[3] * 16
        row = d[3] * 16
        column = 16
        channel = (0..<d[1]).map { ($0 / 16) * d[2] * d[3] * 16 + $0 % 16 }
      } else {
        image = d[1] * d[2] * d[3]
        row = d[3]
        column = 1
        channel = (0..<d[1]).map { $0 * d[2] * d[3] }
      }
    }
  }

  /// Copies every sampled input element to its output place (`toOutput`) or back.
  private func scatter(
    input: UnsafeMutablePointer<Float>, inBlocked: Bool, output: UnsafeMutablePointer<Float>,
    outBlocked: Bool, toOutput: Bool
  ) {
    let xd = srcDims
    let yd = dstDims
    let xs = Strides(xd, blocked: inBlocked)
    let ys = Strides(yd, blocked: outBlocked)
    for n in 0..<xd[0] {
      for c in 0..<xd[1] where channelMap[c] >= 0 {
        let xBase = n * xs.image + xs.channel[c]
        let yBase = n * ys.image + ys.channel[channelMap[c]]
        for ho in 0..<yd[2] {
          let xRow = xBase + ho * stride * xs.row
          let yRow = yBase + ho * ys.row
          for wo in 0..<yd[3] {
            let xi = xRow + wo * stride * xs.column
            let yi = yRow + wo * ys.column
            if toOutput { output[yi] = input[xi] } else { input[xi] = output[yi] }
          }
        }
      }
    }
  }

  private func layoutIsSupported(_ t: Tensor) -> Bool { t.isPlain || t.descriptor.isNChw16c }

  /// Writes `y` (every element, padding channels zeroed).
  public func forward(_ x: Tensor, into y: inout Tensor) throws {
    guard x.shape == srcDims, y.shape == dstDims, layoutIsSupported(x), layoutIsSupported(y)
    else {
      throw TensorCoreError.shapeMismatch("option-A shortcut \(x.descriptor) → \(y.descriptor)")
    }
    y.zero()
    scatter(
      input: x.storage.pointer, inBlocked: !x.isPlain, output: y.storage.pointer,
      outBlocked: !y.isPlain, toOutput: true)
  }

  /// Writes `dx` (every element; positions not sampled get zero).
  public func backward(diffDst dy: Tensor, into dx: inout Tensor) throws {
    guard dx.shape == srcDims, dy.shape == dstDims, layoutIsSupported(dx), layoutIsSupported(dy)
    else {
      throw TensorCoreError.shapeMismatch("option-A shortcut backward \(dy.descriptor)")
    }
    dx.zero()
    scatter(
      input: dx.storage.pointer, inBlocked: !dx.isPlain, output: dy.storage.pointer,
      outBlocked: !dy.isPlain, toOutput: false)
  }
}
