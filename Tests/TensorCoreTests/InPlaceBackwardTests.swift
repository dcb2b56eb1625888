import TensorCore
import Testing

/// The in-place ReLU backward (used where an add passes its masked gradient on without a
/// copy) gives exactly the out-of-place result: `dy · [y > 0]`.
@Suite struct InPlaceBackwardTests {
  @Test(arguments: [false, true]) func reluInPlaceEqualsOutOfPlace(_ blocked: Bool) throws {
    let dims = [2, 20, 3, 5]
    var rng = SeededRNG(seed: 31)
    let y = Tensor(shape: dims, scalars: (0..<120 * 5).map { _ in max(0, rng.nextNormal()) })
    let dy = Tensor(shape: dims, scalars: (0..<120 * 5).map { _ in rng.nextNormal() })
    let expected = zip(y.scalars, dy.scalars).map { $0 > 0 ? $1 : 0 }
    let ctx = try testContext()
    let (outOfPlace, inPlace, viaAdd) = try ctx.perform {
      let md: MemoryDescriptor = blocked ? .nChw16c(dims) : .plain(dims)
      let relu = try ReLUKernel(context: ctx, descriptor: md, training: true)
      let add = try AddKernel(context: ctx, descriptor: md, fuseReLU: true, training: true)
      let yy = try ctx.reorder(y, to: md)
      var a = Tensor(zeros: md)
      try relu.backward(dst: yy, diffDst: try ctx.reorder(dy, to: md), into: &a)
      var b = try ctx.reorder(dy, to: md)
      try relu.backward(dst: yy, gradient: &b)
      var c = try ctx.reorder(dy, to: md)
      try add.backwardReLU(dst: yy, gradient: &c)
      return (try ctx.plain(a).scalars, try ctx.plain(b).scalars, try ctx.plain(c).scalars)
    }
    #expect(outOfPlace == expected)
    #expect(inPlace == expected)
    #expect(viaAdd == expected)
  }
}
