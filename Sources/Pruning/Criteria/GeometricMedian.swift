import Statistics

/// The geometric median (Fermat–Weber point) `argmin_x Σ_j ‖x − F_j‖₂` of a layer's filters.
public struct GeometricMedian: Sendable, Equatable, Codable {
  /// The median, a point in `R^k`.
  public internal(set) var point: [Double]
  /// Weiszfeld iterations performed.
  public internal(set) var iterations: Int
  /// Whether the stopping rule was met (step below tolerance, or an optimality condition held)
  /// before `maxIterations`.
  var converged: Bool
  /// The objective `Σ_j ‖point − F_j‖₂` at `point`.
  var objective: Double

  /// Computes the geometric median of the rows of `filters` by Weiszfeld's algorithm with the
  /// Vardi–Zhang modification.
  ///
  /// Start at the coordinate-wise mean `y`. Each step, with `d_j = ‖F_j − y‖`, `η` the number of
  /// filters coinciding with `y` (`d_j ≤ 1e-150`) and the sums over the others,
  /// `T̃ = Σ F_j/d_j / Σ 1/d_j` and `r = ‖Σ (F_j − y)/d_j‖`:
  /// - `η = 0`: `y ← T̃` (Weiszfeld 1937);
  /// - `η > 0` and `r ≤ η`: `y` is the median (optimality condition), stop;
  /// - otherwise `y ← (1 − η/r)·T̃ + (η/r)·y` (Y. Vardi & C.-H. Zhang, "The multivariate L1-median
  ///   and associated data depth", PNAS 97(4), 2000), which moves off a data point instead of
  ///   dividing by zero.
  ///
  /// Stop when the step `‖y_new − y‖ ≤ tolerance · spread`, where `spread` is the mean distance
  /// of the filters from their mean (so the rule does not depend on the weights' scale), or
  /// after `maxIterations`. Weiszfeld converges slowly when the median is a data point, so at
  /// the end the filter nearest `y` replaces `y` if its objective is no larger.
  /// Identical filters (spread 0) return their common value after 0 iterations.
  /// - Throws: `StatisticsError` for a matrix without rows or columns, non-finite weights,
  ///   `tolerance ≤ 0` or `maxIterations < 0`.
  static func weiszfeld(
    _ filters: FilterMatrix, tolerance: Double = 1e-10, maxIterations: Int = 200
  ) throws(StatisticsError) -> GeometricMedian {
    let n = filters.rows
    let k = filters.cols
    guard n >= 1 else { throw .tooFewValues(what: "geometric median", minimum: 1, actual: n) }
    guard k >= 1 else {
      throw .tooFewValues(what: "geometric median (filter dimension)", minimum: 1, actual: k)
    }
    guard tolerance > 0 else {
      throw .invalidParameter(
        what: "geometric median tolerance", value: tolerance, expected: "a value > 0")
    }
    guard maxIterations >= 0 else {
      throw .invalidParameter(
        what: "geometric median maxIterations", value: Double(maxIterations),
        expected: "a count ≥ 0")
    }
    try DoubleKernels.requireFinite(filters.storage, "geometric median")

    // n, k ≥ 1 were checked above, so the filters and y are non-empty: base addresses exist.
    return filters.storage.withUnsafeBufferPointer { p in
      let base = p.baseAddress!
      var y = [Double](repeating: 0, count: k)
      for i in 0..<n {
        for j in 0..<k { y[j] += base[i * k + j] }
      }
      for j in 0..<k { y[j] /= Double(n) }

      var distances = [Double](repeating: 0, count: n)
      func updateDistances() {
        y.withUnsafeBufferPointer { yp in
          for i in 0..<n {
            distances[i] = DoubleKernels.squaredDistance(base + i * k, yp.baseAddress!, k)
              .squareRoot()
          }
        }
      }
      updateDistances()
      let spread = distances.reduce(0, +) / Double(n)
      guard spread > 0 else {
        return GeometricMedian(point: y, iterations: 0, converged: true, objective: 0)
      }

      let coincidence = 1e-150
      var iterations = 0
      var converged = false
      var weighted = [Double](repeating: 0, count: k)
      while iterations < maxIterations {
        var eta = 0.0
        var weightSum = 0.0
        for j in 0..<k { weighted[j] = 0 }
        for i in 0..<n {
          let d = distances[i]
          if d <= coincidence {
            eta += 1
            continue
          }
          let w = 1 / d
          weightSum += w
          for j in 0..<k { weighted[j] += w * base[i * k + j] }
        }
        if weightSum == 0 {  // every filter coincides with y
          converged = true
          break
        }
        var next = weighted.map { $0 / weightSum }
        if eta > 0 {
          // R̃ = Σ (F_j − y)/d_j = weightSum·(T̃ − y).
          var rSquared = 0.0
          for j in 0..<k {
            let r = weightSum * (next[j] - y[j])
            rSquared += r * r
          }
          let r = rSquared.squareRoot()
          if r <= eta {
            converged = true
            break
          }
          let blend = eta / r
          for j in 0..<k { next[j] = (1 - blend) * next[j] + blend * y[j] }
        }
        var step = 0.0
        for j in 0..<k { step += (next[j] - y[j]) * (next[j] - y[j]) }
        y = next
        iterations += 1
        updateDistances()
        if step.squareRoot() <= tolerance * spread {
          converged = true
          break
        }
      }

      var objective = distances.reduce(0, +)
      // Snap to the nearest filter when it is at least as good (median at a data point).
      if let nearest = distances.indices.min(by: { distances[$0] < distances[$1] }),
        distances[nearest] > 0
      {
        var candidateObjective = 0.0
        for i in 0..<n {
          candidateObjective += DoubleKernels.squaredDistance(base + i * k, base + nearest * k, k)
            .squareRoot()
        }
        if candidateObjective <= objective {
          y = Array(p[(nearest * k)..<((nearest + 1) * k)])
          objective = candidateObjective
        }
      }
      return GeometricMedian(
        point: y, iterations: iterations, converged: converged, objective: objective)
    }
  }
}
