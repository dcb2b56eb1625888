extension TestGenerator {
  /// A reference tensor of uniform Floats in [lo, hi).
  public mutating func tensor(_ shape: [Int], _ lo: Float = -1, _ hi: Float = 1) -> RefTensor<
    Float
  > {
    RefTensor(shape: shape, values: floats(shape.reduce(1, *), lo, hi))
  }

  /// Values `±0.025, ±0.075, …` in shuffled order: pairwise at least 0.05 apart and at least
  /// 0.025 from zero, so neither max-pool ties nor ReLU kinks are within a finite-difference step.
  public mutating func distinctTensor(_ shape: [Int]) -> RefTensor<Float> {
    let count = shape.reduce(1, *)
    var order = Array(0..<count)
    for i in stride(from: count - 1, to: 0, by: -1) {
      order.swapAt(i, Int(next() % UInt64(i + 1)))
    }
    return RefTensor(
      shape: shape, values: order.map { Float($0 - count / 2) * 0.05 + 0.025 })
  }
}
