extension Array where Element == Int {
  /// The number of elements of a tensor of these dimensions, or nil when a dimension is
  /// negative or the product overflows — a file's shapes are untrusted input.
  ///
  /// ```swift
  /// [2, 3, 4].elementCount  // 24
  /// [1 << 40, 1 << 40].elementCount  // nil
  /// ```
  var elementCount: Int? {
    var product = 1
    for d in self {
      guard d >= 0 else { return nil }
      let (next, overflow) = product.multipliedReportingOverflow(by: d)
      if overflow { return nil }
      product = next
    }
    return product
  }
}
