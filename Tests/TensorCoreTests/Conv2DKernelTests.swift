import TensorCore
import TestSupport
import Testing

/// One convolution shape to test.
struct ConvCase: Sendable, CustomTestStringConvertible {
  var geometry: ConvGeometry
  var layout: Layout
  var seed: UInt64

  var testDescription: String {
    let g = geometry
    return "N\(g.batch) \(g.inChannels)→\(g.outChannels) \(g.height)×\(g.width) "
      + "k\(g.kernelH)×\(g.kernelW) s\(g.strideH),\(g.strideW) p\(g.padH),\(g.padW) "
      + "\(g.hasBias ? "bias" : "no bias") \(layout)"
  }

  static func square(
    _ n: Int, _ cin: Int, _ cout: Int, _ h: Int, _ w: Int, k: Int, s: Int, p: Int, bias: Bool,
    _ layout: Layout, seed: UInt64
  ) -> ConvCase {
    ConvCase(
      geometry: ConvGeometry(
        batch: n, inChannels: cin, outChannels: cout, height: h, width: w, kernel: k, stride: s,
        padding: p, bias: bias),
      layout: layout, seed: seed)
  }

  /// A 2×3 kernel with stride (2, 1) and padding (1, 0), set through the geometry's fields.
  static var rectangular: ConvCase {
    var g = ConvGeometry(
      batch: 3, inChannels: 3, outChannels: 4, height: 5, width: 7, kernel: 1, bias: true)
    g.kernelH = 2
    g.kernelW = 3
    g.strideH = 2
    g.strideW = 1
    g.padH = 1
    g.padW = 0
    return ConvCase(geometry: g, layout: .plain, seed: 17)
  }

  static let all: [ConvCase] = [
    .square(2, 3, 5, 5, 7, k: 3, s: 1, p: 1, bias: true, .plain, seed: 1),
    .square(2, 3, 5, 5, 7, k: 3, s: 2, p: 1, bias: true, .plain, seed: 2),
    .square(2, 3, 5, 5, 7, k: 3, s: 2, p: 0, bias: false, .plain, seed: 3),
    .square(2, 5, 17, 7, 5, k: 3, s: 2, p: 1, bias: false, .nChw16c, seed: 4),
    .square(1, 17, 20, 7, 7, k: 3, s: 1, p: 0, bias: true, .nChw16c, seed: 5),
    .square(1, 16, 16, 6, 6, k: 3, s: 1, p: 1, bias: false, .nChw16c, seed: 6),
    .square(2, 17, 20, 7, 5, k: 1, s: 1, p: 0, bias: false, .nChw16c, seed: 7),
    .square(1, 20, 17, 9, 7, k: 1, s: 2, p: 0, bias: true, .nChw16c, seed: 8),
    .square(2, 5, 3, 5, 7, k: 1, s: 2, p: 1, bias: false, .plain, seed: 9),
    .square(2, 4, 6, 9, 9, k: 5, s: 2, p: 1, bias: true, .plain, seed: 10),
    .square(1, 5, 20, 7, 9, k: 5, s: 1, p: 0, bias: false, .plain, seed: 11),
    .square(2, 20, 5, 5, 7, k: 3, s: 2, p: 1, bias: true, .nChw16c, seed: 12),
    rectangular,
  ]
}

/// Inputs, kernel and results of one convolution case.
struct ConvFixture {
  let ctx: ComputeContext
  let g: ConvGeometry
  let kernel: Conv2DKernel
  let x: Tensor
  let weight: Tensor
  let bias: Tensor?
  let upstream: Tensor
  let src: LayoutConverter
  let dst: LayoutConverter

  init(_ c: ConvCase, convolution: ConvolutionAlgorithm = .default) throws {
    ctx = try ComputeContext(threads: 1, convolution: convolution)
    g = c.geometry
    var rng = SeededRNG(seed: c.seed)
    x = normalTensor(g.srcDims, rng: &rng)
    let fanIn = Float(g.inChannels * g.kernelH * g.kernelW)
    weight = normalTensor(g.weightDims, std: (2 / fanIn).squareRoot(), rng: &rng)
    bias = g.hasBias ? normalTensor([g.outChannels], std: 0.5, rng: &rng) : nil
    upstream = normalTensor(g.dstDims, rng: &rng)
    kernel = try Conv2DKernel(
      context: ctx, geometry: g, src: c.layout.descriptor(g.srcDims), training: true)
    src = try LayoutConverter(ctx, kernel.srcDescriptor)
    dst = try LayoutConverter(ctx, kernel.dstDescriptor)
  }

  var stride: (Int, Int) { (g.strideH, g.strideW) }
  var padding: (Int, Int) { (g.padH, g.padW) }

  /// The fast forward of plain input values `xs` with `w` and `b`, as plain output values.
  func forward(x xs: [Float], weight w: Tensor? = nil, bias b: Tensor? = nil) throws -> [Float] {
    try ctx.perform {
      var y = Tensor(zeros: kernel.dstDescriptor)
      try kernel.forward(try src.tensor(xs), weight: w ?? weight, bias: b ?? bias, into: &y)
      return try dst.values(y)
    }
  }

  /// The fast backward: input, weight and bias gradients (plain).
  func backward() throws -> (dx: [Float], dw: [Float], db: [Float]?) {
    try ctx.perform {
      let xs = try src.tensor(x.scalars)
      let dy = try dst.tensor(upstream.scalars)
      var dx = Tensor(zeros: kernel.srcDescriptor)
      try kernel.backwardData(dy, weight: weight, into: &dx)
      var dw = Tensor(zeros: g.weightDims)
      var db: Tensor? = g.hasBias ? Tensor(zeros: [g.outChannels]) : nil
      try kernel.backwardWeights(xs, dy, weightGrad: &dw, biasGrad: &db)
      return (try src.values(dx), dw.scalars, db?.scalars)
    }
  }

  var refX: RefTensor<Float> { RefTensor(shape: x.shape, values: x.scalars) }
  var refW: RefTensor<Float> { RefTensor(shape: weight.shape, values: weight.scalars) }
}

@Suite("Conv2DKernel")
struct Conv2DKernelTests {
  @Test("forward matches the reference", arguments: ConvCase.all)
  func forwardMatchesReference(_ c: ConvCase) throws {
    let f = try ConvFixture(c)
    #expect(f.kernel.dstDescriptor.dims == f.g.dstDims)
    let y = try f.forward(x: f.x.scalars)
    let expected = Reference.conv2d(
      f.refX, weight: f.refW, bias: f.bias?.scalars, stride: f.stride, padding: f.padding)
    #expect(expected.shape == f.g.dstDims)
    #expect(matchesReference(y, expected.values) == nil)
  }

  @Test("backward matches the reference", arguments: ConvCase.all)
  func backwardMatchesReference(_ c: ConvCase) throws {
    let f = try ConvFixture(c)
    let (dx, dw, db) = try f.backward()
    let expected = Reference.conv2dBackward(
      input: f.refX, weight: f.refW,
      gradOutput: RefTensor(shape: f.g.dstDims, values: f.upstream.scalars),
      stride: f.stride, padding: f.padding)
    #expect(matchesReference(dx, expected.input.values) == nil)
    #expect(matchesReference(dw, expected.weight.values) == nil)
    if f.g.hasBias {
      let db = try #require(db)
      #expect(matchesReference(db, expected.bias) == nil)
    }
  }

  @Test("backward matches finite differences of the fast forward", arguments: ConvCase.all)
  func backwardMatchesFiniteDifferences(_ c: ConvCase) throws {
    // Direct kernels: the differences of a Float Winograd forward carry its rounding (about
    // 3e-4 of a gradient at this step); Winograd's backward is checked against differences of
    // the direct forward in WinogradConvolutionTests.
    let f = try ConvFixture(c, convolution: .direct)
    let (dx, dw, db) = try f.backward()
    let g = f.upstream.scalars
    let numericX = fastVJP(at: f.x.scalars, upstream: g) { try f.forward(x: $0) }
    #expect(matchesFiniteDifferences(dx, numericX) == nil)
    let numericW = fastVJP(at: f.weight.scalars, upstream: g) {
      try f.forward(x: f.x.scalars, weight: Tensor(shape: f.g.weightDims, scalars: $0))
    }
    #expect(matchesFiniteDifferences(dw, numericW) == nil)
    if let bias = f.bias {
      let numericB = fastVJP(at: bias.scalars, upstream: g) {
        try f.forward(x: f.x.scalars, bias: Tensor(shape: [f.g.outChannels], scalars: $0))
      }
      #expect(matchesFiniteDifferences(try #require(db), numericB) == nil)
    }
  }

  @Test("an inference-only kernel refuses the backward")
  func inferenceKernelHasNoBackward() throws {
    let ctx = try testContext()
    let g = ConvGeometry(
      batch: 1, inChannels: 3, outChannels: 4, height: 5, width: 5, kernel: 3, padding: 1)
    let k = try Conv2DKernel(context: ctx, geometry: g, src: .plain(g.srcDims), training: false)
    let dy = Tensor(zeros: k.dstDescriptor)
    var dx = Tensor(zeros: k.srcDescriptor)
    #expect(throws: TensorCoreError.self) {
      try k.backwardData(dy, weight: Tensor(zeros: g.weightDims), into: &dx)
    }
  }

  @Test("a kernel with a bias refuses a missing bias")
  func missingBiasThrows() throws {
    let ctx = try testContext()
    let g = ConvGeometry(
      batch: 1, inChannels: 3, outChannels: 4, height: 5, width: 5, kernel: 3, bias: true)
    let k = try Conv2DKernel(context: ctx, geometry: g, src: .plain(g.srcDims), training: false)
    var y = Tensor(zeros: k.dstDescriptor)
    #expect(throws: TensorCoreError.self) {
      try k.forward(
        Tensor(zeros: g.srcDims), weight: Tensor(zeros: g.weightDims), bias: nil, into: &y)
    }
  }

  @Test("a kernel that does not fit the input is rejected")
  func oversizedKernelThrows() throws {
    let ctx = try testContext()
    let g = ConvGeometry(batch: 1, inChannels: 3, outChannels: 4, height: 2, width: 2, kernel: 5)
    #expect(throws: TensorCoreError.self) {
      _ = try Conv2DKernel(context: ctx, geometry: g, src: .plain(g.srcDims), training: false)
    }
  }
}
