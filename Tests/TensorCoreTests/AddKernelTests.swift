import TensorCore
import TestSupport
import Testing

/// One element-wise add to test.
struct AddCase: Sendable, CustomTestStringConvertible {
  var shape: [Int]
  var layout: Layout
  var fuseReLU: Bool
  var seed: UInt64

  var testDescription: String { "\(shape) \(layout)\(fuseReLU ? " +ReLU" : "")" }

  static let all: [AddCase] = [
    AddCase(shape: [2, 5, 5, 7], layout: .plain, fuseReLU: false, seed: 71),
    AddCase(shape: [2, 5, 5, 7], layout: .plain, fuseReLU: true, seed: 72),
    AddCase(shape: [2, 20, 3, 5], layout: .nChw16c, fuseReLU: false, seed: 73),
    AddCase(shape: [2, 17, 3, 3], layout: .nChw16c, fuseReLU: true, seed: 74),
  ]
}

@Suite("AddKernel")
struct AddKernelTests {
  @Test(
    "forward and backward match the reference and finite differences",
    arguments: AddCase.all)
  func matchesReferenceAndFiniteDifferences(_ c: AddCase) throws {
    let ctx = try testContext()
    var rng = SeededRNG(seed: c.seed)
    // a is normal; b = s − a with every sum s at least 0.1 from the ReLU kink.
    let a = normalTensor(c.shape, rng: &rng)
    let sums = awayFromZero(c.shape, rng: &rng)
    let b = Tensor(shape: c.shape, scalars: zip(sums.scalars, a.scalars).map { $0 - $1 })
    let upstream = normalTensor(c.shape, rng: &rng)
    let descriptor = c.layout.descriptor(c.shape)
    let kernel = try AddKernel(context: ctx, descriptor: descriptor, fuseReLU: c.fuseReLU)
    let layout = try LayoutConverter(ctx, descriptor)
    let forward = { (lhs: [Float], rhs: [Float]) throws -> [Float] in
      try ctx.perform {
        var y = Tensor(zeros: descriptor)
        try kernel.forward(try layout.tensor(lhs), try layout.tensor(rhs), into: &y)
        return try layout.values(y)
      }
    }
    let refA = RefTensor(shape: c.shape, values: a.scalars)
    let refB = RefTensor(shape: c.shape, values: b.scalars)
    let refG = RefTensor(shape: c.shape, values: upstream.scalars)

    let y = try forward(a.scalars, b.scalars)
    let expected = c.fuseReLU ? Reference.addReLU(refA, refB) : Reference.add(refA, refB)
    #expect(matchesReference(y, expected.values) == nil)

    // Backward: the upstream gradient itself, or masked by the fused ReLU.
    let diffSum: [Float]
    if c.fuseReLU {
      diffSum = try ctx.perform {
        var d = Tensor(zeros: descriptor)
        try kernel.backwardReLU(
          dst: try layout.tensor(y), diffDst: try layout.tensor(upstream.scalars), into: &d)
        return try layout.values(d)
      }
      let grads = Reference.addReLUBackward(lhs: refA, rhs: refB, gradOutput: refG)
      #expect(diffSum == grads.lhs.values && diffSum == grads.rhs.values)
    } else {
      diffSum = upstream.scalars
      #expect(Reference.addBackward(gradOutput: refG).lhs.values == diffSum)
    }
    let numericA = fastVJP(at: a.scalars, upstream: upstream.scalars) {
      try forward($0, b.scalars)
    }
    #expect(matchesFiniteDifferences(diffSum, numericA) == nil)
    let numericB = fastVJP(at: b.scalars, upstream: upstream.scalars) {
      try forward(a.scalars, $0)
    }
    #expect(matchesFiniteDifferences(diffSum, numericB) == nil)
  }

  @Test("accumulate adds in place", arguments: [Layout.plain, .nChw16c])
  func accumulateAddsInPlace(layout: Layout) throws {
    let ctx = try testContext()
    var rng = SeededRNG(seed: 75)
    let shape = [2, 20, 3, 5]
    let a = normalTensor(shape, rng: &rng)
    let b = normalTensor(shape, rng: &rng)
    let descriptor = layout.descriptor(shape)
    let kernel = try AddKernel(context: ctx, descriptor: descriptor)
    let converter = try LayoutConverter(ctx, descriptor)
    let sum = try ctx.perform {
      var acc = try converter.tensor(a.scalars)
      try kernel.accumulate(try converter.tensor(b.scalars), into: &acc)
      try kernel.accumulate(try converter.tensor(b.scalars), into: &acc)
      return try converter.values(acc)
    }
    let refB = RefTensor(shape: shape, values: b.scalars)
    let expected = Reference.add(
      Reference.add(RefTensor(shape: shape, values: a.scalars), refB), refB)
    #expect(matchesReference(sum, expected.values) == nil)
  }

  @Test("a fused kernel refuses to accumulate; a plain one has no ReLU backward")
  func misuseThrows() throws {
    let ctx = try testContext()
    let shape = [1, 3, 2, 2]
    let fused = try AddKernel(context: ctx, descriptor: .plain(shape), fuseReLU: true)
    var a = Tensor(zeros: shape)
    #expect(throws: TensorCoreError.self) {
      try fused.accumulate(Tensor(zeros: shape), into: &a)
    }
    let plain = try AddKernel(context: ctx, descriptor: .plain(shape))
    #expect(throws: TensorCoreError.self) {
      try plain.backwardReLU(dst: Tensor(zeros: shape), diffDst: Tensor(zeros: shape), into: &a)
    }
  }
}
