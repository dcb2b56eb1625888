import TensorCore
import TestSupport
import Testing

/// One ReLU shape and layout to test.
struct ReLUCase: Sendable, CustomTestStringConvertible {
  var shape: [Int]
  var layout: Layout
  var seed: UInt64

  var testDescription: String { "\(shape) \(layout)" }

  var descriptor: MemoryDescriptor {
    shape.count == 4 ? layout.descriptor(shape) : .plain(shape)
  }

  static let all: [ReLUCase] = [
    ReLUCase(shape: [2, 5, 5, 7], layout: .plain, seed: 41),
    ReLUCase(shape: [2, 20, 3, 5], layout: .nChw16c, seed: 42),
    ReLUCase(shape: [1, 17, 3, 3], layout: .nChw16c, seed: 43),
    ReLUCase(shape: [3, 7], layout: .plain, seed: 44),
  ]
}

@Suite("ReLUKernel")
struct ReLUKernelTests {
  /// Forward of plain values through the kernel, as plain values.
  static func forward(
    _ kernel: ReLUKernel, _ layout: LayoutConverter, _ ctx: ComputeContext, _ xs: [Float]
  ) throws -> [Float] {
    try ctx.perform {
      var y = Tensor(zeros: kernel.descriptor)
      try kernel.forward(try layout.tensor(xs), into: &y)
      return try layout.values(y)
    }
  }

  @Test(
    "forward and backward match the reference and finite differences",
    arguments: ReLUCase.all)
  func matchesReferenceAndFiniteDifferences(_ c: ReLUCase) throws {
    let ctx = try testContext()
    var rng = SeededRNG(seed: c.seed)
    // Values at least 0.1 from the kink; the step moves them by at most 0.011.
    let x = awayFromZero(c.shape, rng: &rng)
    let upstream = normalTensor(c.shape, rng: &rng)
    let kernel = try ReLUKernel(context: ctx, descriptor: c.descriptor, training: true)
    let layout = try LayoutConverter(ctx, c.descriptor)
    let refX = RefTensor(shape: c.shape, values: x.scalars)
    let refG = RefTensor(shape: c.shape, values: upstream.scalars)

    let y = try Self.forward(kernel, layout, ctx, x.scalars)
    #expect(y == Reference.relu(refX).values)
    #expect(y.contains(0) && y.contains { $0 > 0 })

    let dx = try ctx.perform {
      var dx = Tensor(zeros: c.descriptor)
      try kernel.backward(
        dst: try layout.tensor(y), diffDst: try layout.tensor(upstream.scalars), into: &dx)
      return try layout.values(dx)
    }
    #expect(dx == Reference.reluBackward(input: refX, gradOutput: refG).values)
    let numeric = fastVJP(at: x.scalars, upstream: upstream.scalars) {
      try Self.forward(kernel, layout, ctx, $0)
    }
    #expect(matchesFiniteDifferences(dx, numeric) == nil)
  }

  @Test("forward into the input's own tensor gives the same result")
  func forwardIntoItsInput() throws {
    let ctx = try testContext()
    var rng = SeededRNG(seed: 45)
    let x = awayFromZero([2, 3, 4, 5], rng: &rng)
    let kernel = try ReLUKernel(context: ctx, descriptor: x.descriptor, training: false)
    var t = x
    try ctx.perform { try kernel.forward(t, into: &t) }
    #expect(t.scalars == x.scalars.map { max(0, $0) })
  }

  @Test("an inference-only kernel refuses the backward")
  func inferenceKernelHasNoBackward() throws {
    let ctx = try testContext()
    let kernel = try ReLUKernel(context: ctx, descriptor: .plain([2, 3]), training: false)
    var dx = Tensor(zeros: [2, 3])
    #expect(throws: TensorCoreError.self) {
      try kernel.backward(dst: Tensor(zeros: [2, 3]), diffDst: Tensor(zeros: [2, 3]), into: &dx)
    }
  }
}
