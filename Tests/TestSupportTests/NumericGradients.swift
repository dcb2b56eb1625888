import TestSupport

/// The numerical `∂/∂X Σ G ⊙ layer(X)` at the Float point `x`, with the layer run in Double.
func numericVJP(
  _ x: RefTensor<Float>, upstream g: RefTensor<Float>,
  _ layer: (RefTensor<Double>) -> RefTensor<Double>
) -> [Double] {
  FiniteDifference.vectorJacobianProduct(at: x.values, upstream: g.doubleValues) { v in
    layer(RefTensor<Float>(shape: x.shape, values: v).converted(to: Double.self)).values
  }
}

/// The same for a per-channel vector parameter (bias, γ, β).
func numericVJP(
  _ p: [Float], upstream g: RefTensor<Float>, _ layer: ([Double]) -> RefTensor<Double>
) -> [Double] {
  FiniteDifference.vectorJacobianProduct(at: p, upstream: g.doubleValues) { v in
    layer(v.map(Double.init)).values
  }
}

/// `nil` when the analytic gradient matches the numerical one to relative error 1e-3.
func gradientFailure(_ analytic: [Float], _ numeric: [Double]) -> String? {
  FiniteDifference.compare(analytic: analytic, numeric: numeric).failure(tolerance: 1e-3)
}
