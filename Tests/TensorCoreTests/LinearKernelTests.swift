import TensorCore
import TestSupport
import Testing

@Suite("LinearKernel")
struct LinearKernelTests {
  @Test(
    "forward and backward match the reference and finite differences",
    arguments: [true, false])
  func matchesReferenceAndFiniteDifferences(hasBias: Bool) throws {
    var rng = SeededRNG(seed: hasBias ? 101 : 102)
    let (n, inF, outF) = (3, 7, 5)
    let x = normalTensor([n, inF], rng: &rng)
    let weight = normalTensor([outF, inF], std: 0.5, rng: &rng)
    let bias: Tensor? = hasBias ? normalTensor([outF], rng: &rng) : nil
    let upstream = normalTensor([n, outF], rng: &rng)
    let forward = { (xs: Tensor, w: Tensor, b: Tensor?) throws -> [Float] in
      var y = Tensor(zeros: [n, outF])
      try LinearKernel.forward(xs, weight: w, bias: b, into: &y)
      return y.scalars
    }
    let refX = RefTensor(shape: x.shape, values: x.scalars)
    let refW = RefTensor(shape: weight.shape, values: weight.scalars)
    let y = try forward(x, weight, bias)
    let expected = Reference.linear(refX, weight: refW, bias: bias?.scalars)
    #expect(matchesReference(y, expected.values) == nil)

    var dx = Tensor(zeros: [n, inF])
    try LinearKernel.backwardData(upstream, weight: weight, into: &dx)
    var dw = Tensor(zeros: [outF, inF])
    var db: Tensor? = hasBias ? Tensor(zeros: [outF]) : nil
    try LinearKernel.backwardWeights(x, diffY: upstream, diffWeight: &dw, diffBias: &db)
    let grads = Reference.linearBackward(
      input: refX, weight: refW, gradOutput: RefTensor(shape: [n, outF], values: upstream.scalars))
    #expect(matchesReference(dx.scalars, grads.input.values) == nil)
    #expect(matchesReference(dw.scalars, grads.weight.values) == nil)

    let g = upstream.scalars
    let numericX = fastVJP(at: x.scalars, upstream: g) {
      try forward(Tensor(shape: [n, inF], scalars: $0), weight, bias)
    }
    #expect(matchesFiniteDifferences(dx.scalars, numericX) == nil)
    let numericW = fastVJP(at: weight.scalars, upstream: g) {
      try forward(x, Tensor(shape: [outF, inF], scalars: $0), bias)
    }
    #expect(matchesFiniteDifferences(dw.scalars, numericW) == nil)
    if let bias {
      let db = try #require(db)
      #expect(matchesReference(db.scalars, grads.bias) == nil)
      let numericB = fastVJP(at: bias.scalars, upstream: g) {
        try forward(x, weight, Tensor(shape: [outF], scalars: $0))
      }
      #expect(matchesFiniteDifferences(db.scalars, numericB) == nil)
    }
  }

  @Test("mismatched shapes are rejected")
  func mismatchesThrow() {
    var y = Tensor(zeros: [2, 4])
    #expect(throws: TensorCoreError.self) {
      try LinearKernel.forward(
        Tensor(zeros: [2, 3]), weight: Tensor(zeros: [4, 5]), bias: nil, into: &y)
    }
    #expect(throws: TensorCoreError.self) {
      try LinearKernel.forward(
        Tensor(zeros: [2, 3]), weight: Tensor(zeros: [4, 3]), bias: Tensor(zeros: [5]), into: &y)
    }
  }
}
