import TensorCore
import TestSupport
import Testing

/// Convolutions with post-ops (sum, ReLU) and weights reordered once, against the reference
/// convolution followed by the add and the ReLU written out here.
@Suite("Conv2DKernel post-ops")
struct ConvPostOpsTests {
  static let cases = ConvCase.all.filter { $0.geometry.hasBias }

  @Test(
    "sum and ReLU post-ops with prepared weights", arguments: cases,
    [ConvPostOps(sum: true, relu: true), ConvPostOps(sum: true), ConvPostOps(relu: true)])
  func postOpsMatchReference(_ c: ConvCase, _ ops: ConvPostOps) throws {
    let g = c.geometry
    var rng = SeededRNG(seed: c.seed + 100)
    let fanIn = Float(g.inChannels * g.kernelH * g.kernelW)
    let x = normalTensor(g.srcDims, rng: &rng)
    let weight = normalTensor(g.weightDims, std: (2 / fanIn).squareRoot(), rng: &rng)
    let bias = normalTensor([g.outChannels], std: 0.5, rng: &rng)
    let addend = normalTensor(g.dstDims, rng: &rng)
    let ctx = try testContext()
    let y = try ctx.perform { () throws -> [Float] in
      let kernel = try Conv2DKernel(
        context: ctx, geometry: g, src: c.layout.descriptor(g.srcDims), training: false,
        postOps: ops)
      let src = try LayoutConverter(ctx, kernel.srcDescriptor)
      let dst = try LayoutConverter(ctx, kernel.dstDescriptor)
      var out = ops.sum ? try dst.tensor(addend.scalars) : Tensor(zeros: kernel.dstDescriptor)
      let prepared = try kernel.prepare(weight: weight)
      try kernel.forward(try src.tensor(x.scalars), prepared: prepared, bias: bias, into: &out)
      return try dst.values(out)
    }
    let conv = Reference.conv2d(
      RefTensor(shape: x.shape, values: x.scalars),
      weight: RefTensor(shape: weight.shape, values: weight.scalars), bias: bias.scalars,
      stride: (g.strideH, g.strideW), padding: (g.padH, g.padW)
    ).values
    let expected = zip(conv, addend.scalars).map { v, a -> Float in
      let s = ops.sum ? v + a : v
      return ops.relu ? max(0, s) : s
    }
    #expect(matchesReference(y, expected) == nil)
  }

  @Test("post-ops are refused for training kernels")
  func trainingRefused() throws {
    let g = ConvGeometry(batch: 1, inChannels: 3, outChannels: 4, height: 5, width: 5, kernel: 3)
    let ctx = try testContext()
    #expect(throws: TensorCoreError.self) {
      try ctx.perform {
        _ = try Conv2DKernel(
          context: ctx, geometry: g, src: .plain(g.srcDims), training: true,
          postOps: ConvPostOps(relu: true))
      }
    }
  }
}
