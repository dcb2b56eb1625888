/// The Benjamini–Hochberg step-up procedure controlling the false discovery rate
/// (Benjamini & Hochberg, JRSS B 57(1), 1995).
public enum BenjaminiHochberg {
  /// Which hypotheses are rejected at FDR level `q`, in the order of `pValues`.
  ///
  /// With the p-values sorted ascending `p_(1) ≤ … ≤ p_(m)`, let `i*` be the largest `i` with
  /// `p_(i) ≤ i·q/m`; the hypotheses with the `i*` smallest p-values are rejected.
  ///
  /// ```swift
  /// try BenjaminiHochberg.rejections(pValues: [0.01, 0.04, 0.03, 0.5], q: 0.05)
  /// // [true, true, true, false]
  /// ```
  /// - Throws: `StatisticsError.invalidParameter` for `q ∉ (0, 1]` or a p-value outside [0, 1].
  public static func rejections(pValues: [Double], q: Double) throws(StatisticsError) -> [Bool] {
    guard q > 0, q <= 1 else {
      throw .invalidParameter(what: "FDR level q", value: q, expected: "0 < q ≤ 1")
    }
    for p in pValues where !(p >= 0 && p <= 1) {
      throw .invalidParameter(what: "p-value", value: p, expected: "0 ≤ p ≤ 1")
    }
    let m = pValues.count
    let order = pValues.indices.sorted { pValues[$0] < pValues[$1] }
    var cutoff = 0
    for (rank, index) in order.enumerated()
    where pValues[index] <= Double(rank + 1) * q / Double(m) {
      cutoff = rank + 1
    }
    var rejected = [Bool](repeating: false, count: m)
    for index in order.prefix(cutoff) { rejected[index] = true }
    return rejected
  }

  /// The BH-adjusted p-values (`scipy.stats.false_discovery_control(p, method='bh')`):
  /// `p̃_(i) = min_{j ≥ i} min(1, m·p_(j)/j)`; hypothesis `i` is rejected at level `q` exactly
  /// when `p̃_i ≤ q`.
  /// - Throws: `StatisticsError.invalidParameter` for a p-value outside [0, 1].
  public static func adjustedPValues(_ pValues: [Double]) throws(StatisticsError) -> [Double] {
    for p in pValues where !(p >= 0 && p <= 1) {
      throw .invalidParameter(what: "p-value", value: p, expected: "0 ≤ p ≤ 1")
    }
    let m = pValues.count
    let order = pValues.indices.sorted { pValues[$0] < pValues[$1] }
    var adjusted = [Double](repeating: 1, count: m)
    var running = 1.0
    for rank in stride(from: m - 1, through: 0, by: -1) {
      let index = order[rank]
      running = min(running, min(1, Double(m) * pValues[index] / Double(rank + 1)))
      adjusted[index] = running
    }
    return adjusted
  }
}
