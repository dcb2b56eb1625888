/// Compares `actual` with `expected` element-wise like numpy's `allclose`:
/// element `i` passes when `|aᵢ − eᵢ| ≤ atol + rtol·|eᵢ|`. NaN never passes; equal infinities do.
///
/// Returns `nil` when all pass, else a message with the number of failures, the worst element
/// (index, both values, its absolute and relative error) and the maximum absolute and relative
/// errors over the arrays. Use it from Swift Testing:
///
/// ```swift
/// #expect(closeness(engineOutput.scalars, reference.values, rtol: 1e-4, atol: 1e-6) == nil)
/// ```
public func closeness<A: RefScalar, B: RefScalar>(
  _ actual: [A], _ expected: [B], rtol: Double = 1e-5, atol: Double = 0
) -> String? {
  closenessReport(actual, expected, rtol: rtol, atol: atol, index: { "\($0)" })
}

/// Compares two tensors: their shapes must match, then the values as in
/// the array form of `closeness`; the worst element is named by its
/// multi-index.
public func closeness<A: RefScalar, B: RefScalar>(
  _ actual: RefTensor<A>, _ expected: RefTensor<B>, rtol: Double = 1e-5, atol: Double = 0
) -> String? {
  if actual.shape != expected.shape {
    return "shape mismatch: actual \(actual.shape), expected \(expected.shape)"
  }
  return closenessReport(
    actual.values, expected.values, rtol: rtol, atol: atol,
    index: { "\(actual.multiIndex(of: $0))" })
}

/// Compares two scalars with the same rule as the array form.
public func closeness<A: RefScalar, B: RefScalar>(
  _ actual: A, _ expected: B, rtol: Double = 1e-5, atol: Double = 0
) -> String? {
  closenessReport([actual], [expected], rtol: rtol, atol: atol, index: { _ in "scalar" })
}

private func closenessReport<A: RefScalar, B: RefScalar>(
  _ actual: [A], _ expected: [B], rtol: Double, atol: Double, index: (Int) -> String
) -> String? {
  if actual.count != expected.count {
    return "count mismatch: actual has \(actual.count) values, expected \(expected.count)"
  }
  var failures = 0
  var worst: Int? = nil
  var worstExcess = -Double.infinity
  var maxAbs = 0.0
  var maxRel = 0.0
  for i in actual.indices {
    let a = actual[i].refDouble
    let e = expected[i].refDouble
    let diff = a == e ? 0 : abs(a - e)  // equal infinities give 0, not NaN
    let allowed = atol + rtol * abs(e)
    let fails = !(diff <= allowed)  // NaN fails
    let excess = diff.isNaN ? Double.infinity : diff - allowed
    if !diff.isNaN {
      maxAbs = max(maxAbs, diff)
      if diff > 0 { maxRel = max(maxRel, diff / abs(e)) }
    }
    if fails {
      failures += 1
      if worst == nil || excess > worstExcess {
        worst = i
        worstExcess = excess
      }
    }
  }
  guard let worst else { return nil }
  let a = actual[worst].refDouble
  let e = expected[worst].refDouble
  let diff = abs(a - e)
  return "\(failures) of \(actual.count) values differ (rtol \(rtol), atol \(atol)); worst at "
    + "\(index(worst)): actual \(a), expected \(e), abs error \(diff), rel error \(diff / abs(e)); "
    + "max abs error \(maxAbs), max rel error \(maxRel)"
}
