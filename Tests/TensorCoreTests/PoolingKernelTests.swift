import TensorCore
import TestSupport
import Testing

/// One pooling shape, kind and layout to test.
struct PoolingCase: Sendable, CustomTestStringConvertible {
  var geometry: PoolingGeometry
  var kind: PoolingKind
  var layout: Layout
  var isGlobal: Bool
  var seed: UInt64

  var testDescription: String {
    let g = geometry
    let window = isGlobal ? "global" : "k\(g.kernel) s\(g.stride) p\(g.padding)"
    return "\(kind) \(g.srcDims) \(window) \(layout)"
  }

  static func window(
    _ kind: PoolingKind, _ dims: [Int], k: Int, s: Int, p: Int, _ layout: Layout, seed: UInt64
  ) -> PoolingCase {
    PoolingCase(
      geometry: PoolingGeometry(
        batch: dims[0], channels: dims[1], height: dims[2], width: dims[3], kernel: k, stride: s,
        padding: p),
      kind: kind, layout: layout, isGlobal: false, seed: seed)
  }

  static func global(_ kind: PoolingKind, _ dims: [Int], _ layout: Layout, seed: UInt64)
    -> PoolingCase
  {
    PoolingCase(
      geometry: .global(batch: dims[0], channels: dims[1], height: dims[2], width: dims[3]),
      kind: kind, layout: layout, isGlobal: true, seed: seed)
  }

  static let all: [PoolingCase] = [
    .window(.max, [2, 5, 7, 5], k: 3, s: 2, p: 1, .plain, seed: 51),
    .window(.max, [2, 17, 7, 7], k: 2, s: 2, p: 0, .nChw16c, seed: 52),
    .window(.max, [1, 20, 5, 7], k: 3, s: 1, p: 1, .nChw16c, seed: 53),
    .window(.average, [2, 5, 5, 7], k: 3, s: 1, p: 1, .nChw16c, seed: 54),
    .window(.average, [2, 3, 7, 5], k: 2, s: 2, p: 0, .plain, seed: 55),
    .window(.average, [2, 3, 7, 5], k: 3, s: 2, p: 1, .plain, seed: 56),
    .window(.averageExcludingPadding, [2, 3, 7, 5], k: 3, s: 2, p: 1, .plain, seed: 57),
    .window(.averageExcludingPadding, [1, 17, 5, 5], k: 3, s: 1, p: 1, .nChw16c, seed: 58),
    .global(.average, [2, 20, 7, 7], .nChw16c, seed: 59),
    .global(.average, [2, 5, 5, 5], .plain, seed: 60),
    .global(.max, [2, 17, 3, 3], .nChw16c, seed: 61),
  ]
}

@Suite("PoolingKernel")
struct PoolingKernelTests {
  /// The reference forward of `c` on `x`.
  static func referenceForward(_ c: PoolingCase, _ x: RefTensor<Float>) -> RefTensor<Float> {
    let g = c.geometry
    let k = (g.kernel, g.kernel)
    let s = (g.stride, g.stride)
    let p = (g.padding, g.padding)
    switch c.kind {
    case .max: return Reference.maxPool2d(x, kernel: k, stride: s, padding: p)
    case .average:
      if c.isGlobal { return Reference.globalAvgPool(x) }
      return Reference.avgPool2d(x, kernel: k, stride: s, padding: p, countIncludePad: true)
    case .averageExcludingPadding:
      return Reference.avgPool2d(x, kernel: k, stride: s, padding: p, countIncludePad: false)
    }
  }

  /// The reference backward of `c`.
  static func referenceBackward(_ c: PoolingCase, _ x: RefTensor<Float>, _ dy: [Float])
    -> RefTensor<Float>
  {
    let g = c.geometry
    let k = (g.kernel, g.kernel)
    let s = (g.stride, g.stride)
    let p = (g.padding, g.padding)
    let dy4 = RefTensor(shape: g.dstDims, values: dy)
    switch c.kind {
    case .max:
      return Reference.maxPool2dBackward(
        input: x, gradOutput: dy4, kernel: k, stride: s, padding: p)
    case .average:
      if c.isGlobal {
        return Reference.globalAvgPoolBackward(
          inputShape: x.shape, gradOutput: RefTensor(shape: [g.batch, g.channels], values: dy))
      }
      return Reference.avgPool2dBackward(
        inputShape: x.shape, gradOutput: dy4, kernel: k, stride: s, padding: p,
        countIncludePad: true)
    case .averageExcludingPadding:
      return Reference.avgPool2dBackward(
        inputShape: x.shape, gradOutput: dy4, kernel: k, stride: s, padding: p,
        countIncludePad: false)
    }
  }

  @Test(
    "forward and backward match the reference and finite differences",
    arguments: PoolingCase.all)
  func matchesReferenceAndFiniteDifferences(_ c: PoolingCase) throws {
    let ctx = try testContext()
    let g = c.geometry
    var rng = SeededRNG(seed: c.seed)
    // Distinct values within each plane, at least 2/(H·W − 1) ≥ 0.04 apart: no max-pool ties,
    // and a step of at most 0.01 cannot change a window's arg-max.
    let x = planeDistinct(g.srcDims, rng: &rng)
    let upstream = normalTensor(g.dstDims, rng: &rng)
    let kernel = try PoolingKernel(
      context: ctx, geometry: g, kind: c.kind, src: c.layout.descriptor(g.srcDims), training: true)
    #expect(kernel.dstDescriptor.dims == g.dstDims)
    let src = try LayoutConverter(ctx, kernel.srcDescriptor)
    let dst = try LayoutConverter(ctx, kernel.dstDescriptor)
    let forward = { (xs: [Float]) throws -> [Float] in
      try ctx.perform {
        var y = Tensor(zeros: kernel.dstDescriptor)
        try kernel.forward(try src.tensor(xs), into: &y)
        return try dst.values(y)
      }
    }
    let refX = RefTensor(shape: g.srcDims, values: x.scalars)
    let y = try forward(x.scalars)
    #expect(matchesReference(y, Self.referenceForward(c, refX).values) == nil)

    // The backward right after its forward (max pooling reads the forward's workspace).
    let dx = try ctx.perform {
      var dx = Tensor(zeros: kernel.srcDescriptor)
      try kernel.backward(diffDst: try dst.tensor(upstream.scalars), into: &dx)
      return try src.values(dx)
    }
    let expected = Self.referenceBackward(c, refX, upstream.scalars)
    #expect(matchesReference(dx, expected.values) == nil)
    let numeric = fastVJP(at: x.scalars, upstream: upstream.scalars, forward)
    #expect(matchesFiniteDifferences(dx, numeric) == nil)
  }

  @Test("a window larger than the padded input is rejected")
  func oversizedWindowThrows() throws {
    let ctx = try testContext()
    let g = PoolingGeometry(batch: 1, channels: 2, height: 3, width: 3, kernel: 5, stride: 1)
    #expect(throws: TensorCoreError.self) {
      _ = try PoolingKernel(
        context: ctx, geometry: g, kind: .max, src: .plain(g.srcDims), training: false)
    }
  }
}
