/// `|a − b| ≤ tolerance`: an absolute comparison for statistics checked against references.
///
/// ```swift
/// #expect(statsClose(p, 0.0734, 1e-4))
/// ```
public func statsClose(_ a: Double, _ b: Double, _ tolerance: Double) -> Bool {
  abs(a - b) <= tolerance
}

/// `|a − b| ≤ tolerance · |b|`: a comparison relative to the reference `b`.
public func statsRelClose(_ a: Double, _ b: Double, _ tolerance: Double) -> Bool {
  abs(a - b) <= tolerance * abs(b)
}
