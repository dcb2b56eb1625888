import TensorCore
import Testing

@Test func reorderRoundTrip() throws {
  let ctx = try ComputeContext()
  var rng = SeededRNG(seed: 1)
  let x = Tensor(shape: [2, 5, 3, 3], normalStd: 1, rng: &rng)
  let b = try ctx.reorder(x, to: .nChw16c([2, 5, 3, 3]))
  #expect(!b.isPlain)
  let back = try ctx.plain(b)
  #expect(back.scalars == x.scalars)
}

@Test func convSmoke() throws {
  let ctx = try ComputeContext()
  var rng = SeededRNG(seed: 2)
  let g = ConvGeometry(
    batch: 2, inChannels: 3, outChannels: 5, height: 5, width: 7, kernel: 3, stride: 2, padding: 1,
    bias: true)
  let x = Tensor(shape: g.srcDims, normalStd: 1, rng: &rng)
  let w = Tensor(shape: g.weightDims, normalStd: 1, rng: &rng)
  let bias = Tensor(shape: [5], normalStd: 1, rng: &rng)
  let k = try Conv2DKernel(context: ctx, geometry: g, src: x.descriptor, training: true)
  var y = Tensor(zeros: k.dstDescriptor)
  try k.forward(x, weight: w, bias: bias, into: &y)
  let yp = try ctx.plain(y)
  var maxErr: Float = 0
  for n in 0..<2 {
    for o in 0..<5 {
      for ho in 0..<g.outHeight {
        for wo in 0..<g.outWidth {
          var s = bias[o]
          for c in 0..<3 {
            for r in 0..<3 {
              for q in 0..<3 {
                let h = ho * 2 - 1 + r
                let ww = wo * 2 - 1 + q
                if h >= 0 && h < 5 && ww >= 0 && ww < 7 { s += x[n, c, h, ww] * w[o, c, r, q] }
              }
            }
          }
          maxErr = max(maxErr, abs(s - yp[n, o, ho, wo]))
        }
      }
    }
  }
  print("conv impl", k.implementations, k.dstDescriptor, "err", maxErr)
  #expect(maxErr < 1e-4)
}
