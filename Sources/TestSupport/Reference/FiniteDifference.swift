/// Central finite differences: the numerical yardstick for every backward pass.
///
/// To test a layer's backward: draw a random upstream gradient `G` shaped like the output,
/// define the scalar `f(X) = Σ G ⊙ layer(X)` (evaluate the layer in `Double`), and compare
/// `∂f/∂X` from ``gradient(at:step:of:)`` with `backward(G)`; ``vectorJacobianProduct(at:upstream:step:of:)``
/// does the first two steps for you. Keep inputs away from kinks (ReLU at 0, max-pool ties)
/// by more than the step, or the difference straddles the kink.
///
/// ```swift
/// let numeric = FiniteDifference.vectorJacobianProduct(at: x.values, upstream: g) { v in
///   Reference.relu(RefTensor(shape: x.shape, values: v).converted(to: Double.self)).values
/// }
/// let analytic = Reference.reluBackward(input: x, gradOutput: gFloat).values
/// let report = FiniteDifference.compare(analytic: analytic, numeric: numeric)
/// #expect(report.failure(tolerance: 1e-3) == nil)
/// ```
public enum FiniteDifference {
  /// The numerical gradient of `f` at `point` by central differences.
  ///
  /// Coordinate `i` moves by `h = step · max(1, |xᵢ|)` each way; the perturbed points are
  /// rounded to `S` (e.g. `Float`) and the actual distance between them, taken in `Double`, is
  /// the divisor, so the rounding of the step itself costs nothing. `f` should compute in
  /// `Double`: with `Float` outputs the rounding noise divided by `2h` would swamp the result.
  public static func gradient<S: RefScalar>(
    at point: [S], step: S = 1e-3, of f: ([S]) -> Double
  ) -> [Double] {
    precondition(step > 0, "FiniteDifference.gradient: step must be positive, got \(step)")
    var x = point
    var grad = [Double](repeating: 0, count: point.count)
    for i in point.indices {
      let xi = point[i]
      let h = step * max(1, abs(xi))
      let plus = xi + h
      let minus = xi - h
      x[i] = plus
      let fPlus = f(x)
      x[i] = minus
      let fMinus = f(x)
      x[i] = xi
      grad[i] = (fPlus - fMinus) / (plus.refDouble - minus.refDouble)
    }
    return grad
  }

  /// The numerical vector–Jacobian product `∂/∂X Σ upstream ⊙ layer(X)` at `point`: what a
  /// backward pass given the upstream gradient `upstream` must return for `X`.
  public static func vectorJacobianProduct<S: RefScalar>(
    at point: [S], upstream: [Double], step: S = 1e-3, of layer: ([S]) -> [Double]
  ) -> [Double] {
    gradient(at: point, step: step) { x in
      let y = layer(x)
      precondition(
        y.count == upstream.count,
        "FiniteDifference.vectorJacobianProduct: layer gave \(y.count) outputs, upstream has "
          + "\(upstream.count)")
      var sum = 0.0
      for (a, b) in zip(y, upstream) { sum += a * b }
      return sum
    }
  }

  /// Compares an analytic gradient with a numerical one: the maximum over elements of
  /// `|a − n| / max(floor, |a| + |n|)` and where it occurs.
  ///
  /// The floor keeps entries that are both near zero from reporting huge relative errors: with
  /// the default `1e-3`, two values within `1e-6` of each other always pass a `1e-3` tolerance.
  public static func compare<A: RefScalar>(
    analytic: [A], numeric: [Double], floor: Double = 1e-3
  ) -> Comparison {
    precondition(
      analytic.count == numeric.count,
      "FiniteDifference.compare: \(analytic.count) analytic values vs \(numeric.count) numeric")
    var report = Comparison(
      maxRelativeError: 0, worstIndex: nil, analyticValue: 0, numericValue: 0, floor: floor)
    for i in analytic.indices {
      let a = analytic[i].refDouble
      let n = numeric[i]
      var err = abs(a - n) / max(floor, abs(a) + abs(n))
      if err.isNaN { err = .infinity }
      if report.worstIndex == nil || err > report.maxRelativeError {
        report = Comparison(
          maxRelativeError: err, worstIndex: i, analyticValue: a, numericValue: n, floor: floor)
      }
    }
    return report
  }

  /// The outcome of ``FiniteDifference/compare(analytic:numeric:floor:)``.
  public struct Comparison: Sendable, Equatable, CustomStringConvertible {
    /// The largest `|a − n| / max(floor, |a| + |n|)` (infinity where a value is NaN).
    public var maxRelativeError: Double
    /// The flat index of the largest error; `nil` for empty gradients.
    public internal(set) var worstIndex: Int?
    /// The analytic value at ``worstIndex``.
    var analyticValue: Double
    /// The numerical value at ``worstIndex``.
    var numericValue: Double
    /// The floor used on the denominator.
    public internal(set) var floor: Double

    /// Creates a comparison report.
    public init(
      maxRelativeError: Double, worstIndex: Int?, analyticValue: Double, numericValue: Double,
      floor: Double
    ) {
      self.maxRelativeError = maxRelativeError
      self.worstIndex = worstIndex
      self.analyticValue = analyticValue
      self.numericValue = numericValue
      self.floor = floor
    }

    /// `nil` when ``maxRelativeError`` is within `tolerance`, else ``description``.
    public func failure(tolerance: Double = 1e-3) -> String? {
      maxRelativeError <= tolerance ? nil : "\(description) exceeds tolerance \(tolerance)"
    }

    /// The worst element, both values and the relative error.
    public var description: String {
      guard let worstIndex else { return "gradient check: no elements" }
      return "gradient check: max relative error \(maxRelativeError) at index \(worstIndex): "
        + "analytic \(analyticValue), numeric \(numericValue) (floor \(floor))"
    }
  }
}
