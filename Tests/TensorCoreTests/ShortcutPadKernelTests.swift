import TensorCore
import TestSupport
import Testing

/// Input and output layouts of a shortcut test.
struct ShortcutLayouts: Sendable, CustomTestStringConvertible {
  var src: Layout
  var dst: Layout
  var testDescription: String { "\(src) → \(dst)" }

  static let all: [ShortcutLayouts] = [
    ShortcutLayouts(src: .plain, dst: .plain), ShortcutLayouts(src: .nChw16c, dst: .nChw16c),
    ShortcutLayouts(src: .plain, dst: .nChw16c), ShortcutLayouts(src: .nChw16c, dst: .plain),
  ]
}

@Suite("ShortcutPadKernel")
struct ShortcutPadKernelTests {
  /// Forward and backward through `kernel` in the given layouts, as plain values.
  static func run(
    _ kernel: ShortcutPadKernel, _ layouts: ShortcutLayouts, _ ctx: ComputeContext, x: [Float],
    upstream: [Float]
  ) throws -> (y: [Float], dx: [Float]) {
    let src = try LayoutConverter(ctx, layouts.src.descriptor(kernel.srcDims))
    let dst = try LayoutConverter(ctx, layouts.dst.descriptor(kernel.dstDims))
    return try ctx.perform {
      var y = Tensor(zeros: dst.descriptor)
      // Two threads: the images of a batch are split over the team.
      try kernel.forward(try src.tensor(x), into: &y, threads: 2)
      var dx = Tensor(zeros: src.descriptor)
      try kernel.backward(diffDst: try dst.tensor(upstream), into: &dx, threads: 2)
      return (try dst.values(y), try src.values(dx))
    }
  }

  @Test("symmetric option A (stride 2) matches the reference", arguments: ShortcutLayouts.all)
  func symmetricMatchesReference(layouts: ShortcutLayouts) throws {
    let ctx = try testContext()
    for (dims, outChannels) in [
      ([2, 5, 7, 5], 9), ([1, 16, 5, 7], 32), ([2, 6, 5, 5], 20),
      // Several input blocks: whole blocks shifted by one (pad 16), and partial blocks whose
      // channels straddle two output blocks (pad 8).
      ([2, 32, 7, 6], 64), ([1, 20, 5, 5], 36),
    ] {
      var rng = SeededRNG(seed: UInt64(90 + outChannels))
      let kernel = try ShortcutPadKernel(srcDims: dims, outChannels: outChannels, stride: 2)
      let x = normalTensor(dims, rng: &rng)
      let upstream = normalTensor(kernel.dstDims, rng: &rng)
      let (y, dx) = try Self.run(kernel, layouts, ctx, x: x.scalars, upstream: upstream.scalars)
      let refX = RefTensor(shape: dims, values: x.scalars)
      let expected = Reference.optionAShortcut(refX, outputChannels: outChannels)
      #expect(expected.shape == kernel.dstDims)
      #expect(y == expected.values, "forward \(dims) → \(outChannels)")
      let expectedDx = Reference.optionAShortcutBackward(
        inputShape: dims, gradOutput: RefTensor(shape: kernel.dstDims, values: upstream.scalars))
      #expect(dx == expectedDx.values, "backward \(dims) → \(outChannels)")
    }
  }

  @Test("a custom channel map with a dropped channel", arguments: ShortcutLayouts.all)
  func customChannelMap(layouts: ShortcutLayouts) throws {
    let ctx = try testContext()
    let dims = [2, 5, 5, 7]
    let map = [17, -1, 0, 9, 12]
    for stride in [1, 2] {
      var rng = SeededRNG(seed: UInt64(95 + stride))
      let kernel = try ShortcutPadKernel(
        srcDims: dims, outChannels: 20, stride: stride, channelMap: map)
      let (oh, ow) = ((5 + stride - 1) / stride, (7 + stride - 1) / stride)
      #expect(kernel.dstDims == [2, 20, oh, ow])
      let x = normalTensor(dims, rng: &rng)
      let upstream = normalTensor(kernel.dstDims, rng: &rng)
      let (y, dx) = try Self.run(kernel, layouts, ctx, x: x.scalars, upstream: upstream.scalars)
      // Expected by direct indexing: y[n, map[c], i, j] = x[n, c, s·i, s·j], zero elsewhere.
      var expectedY = [Float](repeating: 0, count: 2 * 20 * oh * ow)
      var expectedDx = [Float](repeating: 0, count: x.count)
      for n in 0..<2 {
        for c in 0..<5 where map[c] >= 0 {
          for i in 0..<oh {
            for j in 0..<ow {
              let yi = ((n * 20 + map[c]) * oh + i) * ow + j
              expectedY[yi] = x[n, c, stride * i, stride * j]
              expectedDx[((n * 5 + c) * 5 + stride * i) * 7 + stride * j] = upstream.scalars[yi]
            }
          }
        }
      }
      #expect(y == expectedY, "forward, stride \(stride)")
      #expect(dx == expectedDx, "backward, stride \(stride)")
      // The dropped channel 1 gets no gradient at all.
      #expect((0..<35).allSatisfy { dx[35 + $0] == 0 })
      let numeric = fastVJP(at: x.scalars, upstream: upstream.scalars) {
        try Self.run(kernel, layouts, ctx, x: $0, upstream: upstream.scalars).y
      }
      #expect(matchesFiniteDifferences(dx, numeric) == nil)
    }
  }

  @Test("invalid placements are rejected")
  func invalidPlacementsThrow() {
    #expect(throws: TensorCoreError.self) {
      _ = try ShortcutPadKernel(srcDims: [1, 5, 4, 4], outChannels: 8, stride: 2)
    }
    #expect(throws: TensorCoreError.self) {
      _ = try ShortcutPadKernel(
        srcDims: [1, 3, 4, 4], outChannels: 8, stride: 2, channelMap: [1, 1, 2])
    }
    #expect(throws: TensorCoreError.self) {
      _ = try ShortcutPadKernel(
        srcDims: [1, 3, 4, 4], outChannels: 8, stride: 2, channelMap: [0, 8, 2])
    }
  }
}
