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

  /// Runs of channels that sit next to each other in both layouts: `length` channels from
  /// input offset `input` to output offset `output` (offsets of a channel within an image).
  struct Run {
    var input: Int
    var output: Int
    var length: Int
  }

  /// The channel placement as contiguous runs: in nChw16c both ways, the symmetric placement of
  /// 16 channels with a pad of 8 is two runs of 8. With a plain input every channel is its own
  /// run (``scatter`` copies a plain input channel by channel, columns inside).
  static func runs(_ map: [Int], _ xs: Strides, _ ys: Strides) -> [Run] {
    let inputIsPlain = xs.column == 1
    var runs: [Run] = []
    for c in map.indices where map[c] >= 0 {
      let (i, o) = (xs.channel[c], ys.channel[map[c]])
      if !inputIsPlain, let last = runs.last, last.input + last.length == i,
        last.output + last.length == o
      {
        runs[runs.count - 1].length += 1
      } else {
        runs.append(Run(input: i, output: o, length: 1))
      }
    }
    return runs
  }

  /// Copies every sampled input element to its output place (`toOutput`) or back. Writing a
  /// blocked output from a blocked input, it first clears each output position's 16-channel
  /// vectors, so the whole output is written in one pass (no separate clearing pass).
  ///
  /// The placement is resolved once per call into runs of channels contiguous in both layouts
  /// (``runs(_:_:_:)``), with no bounds checks in the loops. With a blocked input the loop runs
  /// over positions outside and runs inside, so that each sampled position's channels are
  /// copied as contiguous spans; with a plain input it runs over channels outside and columns
  /// inside, where the plain layout is contiguous. (Channel by channel in a blocked layout, as
  /// before, read one float of each 64-byte line and came back for the next channel: 1.7 ms for
  /// resnet20's first option-A shortcut, several times what the copy needs.)
  private func scatter(
    input: UnsafeMutablePointer<Float>, inBlocked: Bool, output: UnsafeMutablePointer<Float>,
    outBlocked: Bool, toOutput: Bool, threads: Int
  ) {
    let xd = srcDims
    let yd = dstDims
    let xs = Strides(xd, blocked: inBlocked)
    let ys = Strides(yd, blocked: outBlocked)
    let runs = Self.runs(channelMap, xs, ys)
    let (images, rows, columns, s) = (xd[0], yd[2], yd[3], stride)
    let clearedBlocks = inBlocked && outBlocked && toOutput ? (yd[1] + 15) / 16 : 0
    let plane = rows * columns * 16
    runs.withUnsafeBufferPointer { runs in
      if inBlocked {
        // Images are independent: split over the team (each writes its own images only).
        teamParallel(images, threads: threads) { share in
          for n in share {
            for ho in 0..<rows {
              for wo in 0..<columns {
                let x = input + (n * xs.image + ho * s * xs.row + wo * s * xs.column)
                let y = output + (n * ys.image + ho * ys.row + wo * ys.column)
                for b in 0..<clearedBlocks { (y + b * plane).update(repeating: 0, count: 16) }
                for r in runs {
                  if toOutput {
                    (y + r.output).update(from: x + r.input, count: r.length)
                  } else {
                    (x + r.input).update(from: y + r.output, count: r.length)
                  }
                }
              }
            }
          }
        }
      } else {
        for n in 0..<images {
          for r in runs {
            for ho in 0..<rows {
              let x = input + (n * xs.image + r.input + ho * s * xs.row)
              let y = output + (n * ys.image + r.output + ho * ys.row)
              if toOutput {
                for wo in 0..<columns { y[wo * ys.column] = x[wo * s] }
              } else {
                for wo in 0..<columns { x[wo * s] = y[wo * ys.column] }
              }
            }
          }
        }
      }
    }
  }

  private func layoutIsSupported(_ t: Tensor) -> Bool { t.isPlain || t.descriptor.isNChw16c }

  /// Writes `y` (every element, padding channels zeroed).
  public func forward(_ x: Tensor, into y: inout Tensor, threads: Int = 1) throws {
    guard x.shape == srcDims, y.shape == dstDims, layoutIsSupported(x), layoutIsSupported(y)
    else {
      throw TensorCoreError.shapeMismatch("option-A shortcut \(x.descriptor) → \(y.descriptor)")
    }
    // nChw16c both ways, the executor's layout, clears as it writes; any other pair is cleared
    // first.
    if x.isPlain || y.isPlain { y.zero() } else { y.makeUnique() }
    scatter(
      input: x.storage.pointer, inBlocked: !x.isPlain, output: y.storage.pointer,
      outBlocked: !y.isPlain, toOutput: true, threads: threads)
  }

  /// Writes `dx` (every element; positions not sampled get zero).
  public func backward(diffDst dy: Tensor, into dx: inout Tensor, threads: Int = 1) throws {
    guard dx.shape == srcDims, dy.shape == dstDims, layoutIsSupported(dx), layoutIsSupported(dy)
    else {
      throw TensorCoreError.shapeMismatch("option-A shortcut backward \(dy.descriptor)")
    }
    if !dx.isPlain && !dy.isPlain {
      dx.makeUnique()
      blockedBackward(dy.storage.pointer, dx.storage.pointer, threads: threads)
      return
    }
    dx.zero()
    scatter(
      input: dx.storage.pointer, inBlocked: !dx.isPlain, output: dy.storage.pointer,
      outBlocked: !dy.isPlain, toOutput: false, threads: threads)
  }

  // nChw16c on both sides, the layout the executor runs, the backward also writes `dx` in one
  // pass: each position's 16-channel vectors cleared and filled while in cache, instead of
  // clearing the whole tensor first and coming back to fill it (half the memory traffic of
  // this memory-bound copy).

  /// `dx` = the gradient `dy` scattered back to the sampled positions, zero elsewhere, with
  /// both tensors nChw16c, in one pass over `dx`.
  private func blockedBackward(
    _ dy: UnsafeMutablePointer<Float>, _ dx: UnsafeMutablePointer<Float>, threads: Int
  ) {
    let xs = Strides(srcDims, blocked: true)
    let ys = Strides(dstDims, blocked: true)
    let runs = Self.runs(channelMap, xs, ys)
    let (images, height, width, s) = (srcDims[0], srcDims[2], srcDims[3], stride)
    let blocks = (srcDims[1] + 15) / 16
    let plane = height * width * 16
    runs.withUnsafeBufferPointer { runs in
      teamParallel(images, threads: threads) { share in
        for n in share {
          for h in 0..<height {
            let row = dx + (n * xs.image + h * xs.row)
            guard h % s == 0 else {
              for b in 0..<blocks { (row + b * plane).update(repeating: 0, count: width * 16) }
              continue
            }
            for w in 0..<width {
              let xp = row + w * 16
              for b in 0..<blocks { (xp + b * plane).update(repeating: 0, count: 16) }
              guard w % s == 0 else { continue }
              let yp = dy + (n * ys.image + (h / s) * ys.row + (w / s) * ys.column)
              for r in runs { (xp + r.input).update(from: yp + r.output, count: r.length) }
            }
          }
        }
      }
    }
  }
}
