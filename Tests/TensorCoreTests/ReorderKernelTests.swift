import TensorCore
import TestSupport
import Testing

@Suite("ReorderKernel and ComputeContext.reorder")
struct ReorderKernelTests {
  @Test("plain → nChw16c → plain is bit-identical", arguments: [3, 5, 16, 17, 20, 32])
  func roundTrip(channels: Int) throws {
    let ctx = try testContext()
    var rng = SeededRNG(seed: UInt64(80 + channels))
    let x = normalTensor([2, channels, 3, 5], rng: &rng)
    let (blocked, back) = try ctx.perform {
      let blocked = try ctx.reorder(x, to: .nChw16c(x.shape))
      return (blocked, try ctx.plain(blocked))
    }
    #expect(!blocked.isPlain && blocked.descriptor.isNChw16c)
    #expect(back.isPlain && back.shape == x.shape)
    #expect(back.scalars == x.scalars)
  }

  @Test(
    "nChw16c puts (n, c, h, w) at ((n·⌈C/16⌉ + c/16)·H·W + h·W + w)·16 + c%16, padding zero",
    arguments: [5, 20])
  func blockedOffsets(channels: Int) throws {
    let ctx = try testContext()
    let dims = [2, channels, 3, 5]
    // Distinct values: the element's own flat index.
    let x = Tensor(shape: dims, scalars: (0..<dims.reduce(1, *)).map(Float.init))
    let kernel = try ReorderKernel(context: ctx, from: .plain(dims), to: .nChw16c(dims))
    var blocked = Tensor(zeros: .nChw16c(dims))
    // Fill the buffer with garbage first: the reorder must zero the padding lanes itself.
    blocked.withUnsafeMutableBufferPointer { $0.update(repeating: -7) }
    try ctx.perform { try kernel.execute(x, into: &blocked) }
    let blocks = (channels + 15) / 16
    #expect(blocked.descriptor.physicalCount == 2 * blocks * 16 * 3 * 5)
    blocked.withUnsafeBufferPointer { buffer in
      var mismatches = 0
      for n in 0..<2 {
        for c in 0..<(blocks * 16) {
          for h in 0..<3 {
            for w in 0..<5 {
              let offset = (((n * blocks + c / 16) * 3 + h) * 5 + w) * 16 + c % 16
              let expected: Float = c < channels ? x[n, c, h, w] : 0
              if buffer[offset] != expected { mismatches += 1 }
            }
          }
        }
      }
      #expect(mismatches == 0)
    }
  }

  @Test("reorder into an existing tensor, and between equal layouts")
  func reorderIntoExisting() throws {
    let ctx = try testContext()
    var rng = SeededRNG(seed: 88)
    let x = normalTensor([1, 17, 3, 3], rng: &rng)
    let copy = try ctx.perform {
      let blocked = try ctx.reorder(x, to: .nChw16c(x.shape))
      // Same layout: handed back unchanged.
      let same = try ctx.reorder(blocked, to: blocked.descriptor)
      var out = Tensor(zeros: x.shape)
      try ctx.reorder(same, into: &out)
      return out
    }
    #expect(copy.scalars == x.scalars)
  }

  @Test("mismatched shapes and layouts are rejected")
  func mismatchesThrow() throws {
    let ctx = try testContext()
    var wrongShape = Tensor(zeros: [1, 3, 2, 2])
    #expect(throws: TensorCoreError.self) {
      try ctx.reorder(Tensor(zeros: [1, 3, 2, 3]), into: &wrongShape)
    }
    let kernel = try ReorderKernel(
      context: ctx, from: .plain([1, 3, 2, 2]), to: .nChw16c([1, 3, 2, 2]))
    var plainDestination = Tensor(zeros: [1, 3, 2, 2])
    #expect(throws: TensorCoreError.self) {
      try kernel.execute(Tensor(zeros: [1, 3, 2, 2]), into: &plainDestination)
    }
  }
}
