import TensorCore
import TestSupport
import Testing

/// The last gradient summed into a ReLU's output together with the ReLU's backward mask.
@Suite("ReLU masked accumulation")
struct MaskedAccumulationTests {
  static func run(_ shape: [Int], layout: Layout, threads: Int, seed: UInt64) throws -> (
    got: [Float], gradient: [Float], addend: [Float], dst: [Float]
  ) {
    var rng = SeededRNG(seed: seed)
    let count = shape.reduce(1, *)
    let gradient = (0..<count).map { _ in rng.nextNormal() }
    let addend = (0..<count).map { _ in rng.nextNormal() }
    // A ReLU's output: zero at about half the positions.
    let dst = (0..<count).map { _ in max(0, rng.nextNormal()) }
    let ctx = try ComputeContext(threads: threads)
    let md = shape.count == 4 ? layout.descriptor(shape) : .plain(shape)
    let converter = try LayoutConverter(ctx, md)
    let got = try ctx.perform {
      var g = try converter.tensor(gradient)
      try ReLUKernel.accumulateMasked(
        try converter.tensor(addend), into: &g, dst: try converter.tensor(dst), threads: threads)
      return try converter.values(g)
    }
    return (got, gradient, addend, dst)
  }

  @Test(
    "gradient + addend where the output is positive, zero elsewhere",
    arguments: [
      ([3, 20, 5, 7], Layout.nChw16c), ([2, 3, 5, 7], Layout.plain), ([37], Layout.plain),
    ])
  func matchesReference(shape: [Int], layout: Layout) throws {
    let r = try Self.run(shape, layout: layout, threads: 2, seed: 3)
    var zeros = 0
    for k in r.got.indices {
      let want: Float = r.dst[k] > 0 ? r.gradient[k] + r.addend[k] : 0
      if r.dst[k] <= 0 { zeros += 1 }
      #expect(r.got[k] == want, "element \(k): \(r.got[k]) vs \(want)")
    }
    #expect(zeros > 0 && zeros < r.got.count)
  }

  @Test("the same bits with one thread and two, for a length that is not a multiple of 16")
  func threadInvariant() throws {
    let one = try Self.run([3, 37], layout: .plain, threads: 1, seed: 9)
    let two = try Self.run([3, 37], layout: .plain, threads: 2, seed: 9)
    #expect(one.got == two.got)
  }

  @Test("tensors of different layouts are refused")
  func layoutsMustMatch() throws {
    let ctx = try ComputeContext(threads: 1)
    var g = Tensor(zeros: [2, 3])
    #expect(throws: TensorCoreError.self) {
      try ReLUKernel.accumulateMasked(
        Tensor(zeros: [3, 2]), into: &g, dst: Tensor(zeros: [2, 3]), threads: ctx.threads)
    }
  }
}
