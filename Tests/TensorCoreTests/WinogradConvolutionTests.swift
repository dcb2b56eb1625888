import TensorCore
import TestSupport
import Testing

/// Shapes where Winograd F(4×4, 3×3) runs every pass (3×3, stride 1, at least 32 channels on
/// each side, images the rules of `ConvolutionAlgorithm.candidates` give it), including spatial
/// sizes that are not multiples of the 4×4 tile and a channel count that is not a multiple of
/// the 16-channel block.
private let winogradCases: [ConvCase] = [
  .square(2, 32, 64, 8, 8, k: 3, s: 1, p: 1, bias: true, .nChw16c, seed: 31),
  .square(1, 48, 64, 10, 7, k: 3, s: 1, p: 1, bias: false, .nChw16c, seed: 32),
  .square(1, 48, 40, 10, 10, k: 3, s: 1, p: 0, bias: true, .nChw16c, seed: 33),
  .square(1, 48, 48, 9, 9, k: 3, s: 1, p: 1, bias: false, .nChw16c, seed: 34),
]

/// Shapes it does not take: they must run the direct kernels under `.winograd` too.
private let directOnlyCases: [ConvCase] = [
  .square(2, 32, 32, 8, 8, k: 3, s: 2, p: 1, bias: false, .nChw16c, seed: 41),
  .square(2, 32, 32, 8, 8, k: 1, s: 1, p: 0, bias: true, .nChw16c, seed: 42),
  .square(1, 3, 16, 8, 8, k: 3, s: 1, p: 1, bias: true, .plain, seed: 43),
]

/// The reference comparison with Winograd's rounding: its transforms add and subtract
/// products of up to nine inputs, so a near-cancelling output keeps a larger absolute error
/// than the direct kernels' (measured up to about 3e-5 on these cases; 1e-4 allowed).
private func matchesWinograd(_ actual: [Float], _ expected: [Float]) -> String? {
  matchesReference(actual, expected, atol: 1e-4)
}

/// The finite-difference comparison with Winograd's rounding: its backward keeps an absolute
/// error of about 1e-4 on gradients of order 1 (measured up to 1.2e-4), so entries near zero
/// are compared against a floor of 0.05 instead of 0.01 (the tolerance stays 1e-2).
private func winogradMatchesDifferences(_ analytic: [Float], _ numeric: [Double]) -> String? {
  FiniteDifference.compare(analytic: analytic, numeric: numeric, floor: 0.05)
    .failure(tolerance: FDSettings.tolerance)
}

@Suite("Winograd convolution")
struct WinogradConvolutionTests {
  @Test(
    "Winograd runs forward and backward where it fits, and matches the reference",
    arguments: winogradCases)
  func winogradMatchesReference(_ c: ConvCase) throws {
    let f = try ConvFixture(c, convolution: .winograd)
    // Every primitive of the kernel is oneDNN's Winograd implementation.
    #expect(f.kernel.implementations.count == 3)
    #expect(f.kernel.implementations.allSatisfy { $0.contains("wino") })
    let y = try f.forward(x: f.x.scalars)
    let expected = Reference.conv2d(
      f.refX, weight: f.refW, bias: f.bias?.scalars, stride: f.stride, padding: f.padding)
    #expect(matchesWinograd(y, expected.values) == nil)
    let (dx, dw, db) = try f.backward()
    let back = Reference.conv2dBackward(
      input: f.refX, weight: f.refW,
      gradOutput: RefTensor(shape: f.g.dstDims, values: f.upstream.scalars),
      stride: f.stride, padding: f.padding)
    #expect(matchesWinograd(dx, back.input.values) == nil)
    #expect(matchesWinograd(dw, back.weight.values) == nil)
    if f.g.hasBias {
      #expect(matchesWinograd(try #require(db), back.bias) == nil)
    }
  }

  @Test(
    "Winograd's backward matches finite differences of the convolution",
    arguments: winogradCases)
  func winogradBackwardMatchesFiniteDifferences(_ c: ConvCase) throws {
    let f = try ConvFixture(c, convolution: .winograd)
    // The function differentiated is the convolution itself, evaluated by the direct kernels
    // (a Float Winograd forward's rounding would dominate the differences at this step).
    let direct = try ConvFixture(c, convolution: .direct)
    let (dx, dw, _) = try f.backward()
    let g = f.upstream.scalars
    let numericX = fastVJP(at: f.x.scalars, upstream: g) { try direct.forward(x: $0) }
    #expect(winogradMatchesDifferences(dx, numericX) == nil)
    let numericW = fastVJP(at: f.weight.scalars, upstream: g) {
      try direct.forward(x: f.x.scalars, weight: Tensor(shape: f.g.weightDims, scalars: $0))
    }
    #expect(winogradMatchesDifferences(dw, numericW) == nil)
  }

  /// Which passes run Winograd (forward, data gradient, weight gradient) for a shape: the
  /// rules of `ConvolutionAlgorithm.candidates`, as oneDNN reports the kernels it picked.
  @Test(
    "Winograd runs the passes where it pays: not over one 16-channel block, not on small images",
    arguments: [
      // (in, out, pixels, expected): over 16 inputs or 16 outputs the forward or the data
      // gradient runs direct; the weight gradient runs Winograd at 28 pixels or more.
      (16, 16, 32, [false, false, true]), (32, 16, 32, [true, false, true]),
      (16, 32, 32, [false, true, true]),
      // 14 pixels (tiles do not fit): forward needs 48 outputs; weight gradient 32.
      (32, 32, 14, [false, true, true]), (32, 48, 14, [true, true, true]),
      (64, 16, 14, [false, false, false]),
      // 8 and 7 pixels: the weight gradient needs both sides wide.
      (32, 32, 8, [true, true, false]), (64, 32, 8, [true, true, true]),
      (64, 32, 7, [false, true, false]), (64, 64, 7, [true, true, true]),
      // 2 pixels: direct, except a weight gradient with 256 channels or more on both sides.
      (512, 512, 2, [false, false, true]), (128, 128, 2, [false, false, false]),
    ])
  func passesRunWhereWinogradPays(_ shape: (Int, Int, Int, [Bool])) throws {
    let (inputs, outputs, pixels, expected) = shape
    let ctx = try ComputeContext(threads: 1, convolution: .winograd)
    let g = ConvGeometry(
      batch: 2, inChannels: inputs, outChannels: outputs, height: pixels, width: pixels,
      kernel: 3, padding: 1)
    let k = try Conv2DKernel(context: ctx, geometry: g, src: .nChw16c(g.srcDims), training: true)
    #expect(
      k.implementations.map { $0.contains("wino") } == expected,
      "\(inputs) → \(outputs) at \(pixels): \(k.implementations)")
  }

  @Test("an inference kernel with post-ops runs Winograd too")
  func inferenceWithPostOps() throws {
    let ctx = try ComputeContext(threads: 1, convolution: .winograd)
    let g = ConvGeometry(
      batch: 2, inChannels: 32, outChannels: 32, height: 16, width: 16, kernel: 3, padding: 1,
      bias: true)
    let k = try Conv2DKernel(
      context: ctx, geometry: g, src: .nChw16c(g.srcDims), training: false,
      postOps: ConvPostOps(relu: true))
    #expect(k.implementations.count == 1)
    #expect(k.implementations[0].contains("wino"))
  }

  @Test("shapes Winograd cannot take run direct under .winograd", arguments: directOnlyCases)
  func otherShapesRunDirect(_ c: ConvCase) throws {
    let f = try ConvFixture(c, convolution: .winograd)
    #expect(!f.kernel.implementations.isEmpty)
    #expect(f.kernel.implementations.allSatisfy { !$0.contains("wino") })
    let direct = try ConvFixture(c, convolution: .direct)
    // The same kernels: the same bits.
    #expect(try f.forward(x: f.x.scalars) == direct.forward(x: direct.x.scalars))
  }

  @Test(".direct never runs Winograd", arguments: winogradCases)
  func directIsDirect(_ c: ConvCase) throws {
    let f = try ConvFixture(c, convolution: .direct)
    #expect(f.kernel.implementations.allSatisfy { !$0.contains("wino") })
    let y = try f.forward(x: f.x.scalars)
    let expected = Reference.conv2d(
      f.refX, weight: f.refW, bias: f.bias?.scalars, stride: f.stride, padding: f.padding)
    #expect(matchesReference(y, expected.values) == nil)
  }

  @Test("a Winograd convolution gives the same bits on every run")
  func winogradIsDeterministic() throws {
    let c = winogradCases[1]
    let a = try ConvFixture(c, convolution: .winograd)
    let b = try ConvFixture(c, convolution: .winograd)
    #expect(try a.forward(x: a.x.scalars) == b.forward(x: b.x.scalars))
    let (dxA, dwA, _) = try a.backward()
    let (dxB, dwB, _) = try b.backward()
    #expect(dxA == dxB)
    #expect(dwA == dwB)
  }
}
