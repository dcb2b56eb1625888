import Foundation
import TestSupport
import Testing

@Suite struct CheckerTests {
  @Test func finiteDifferenceOfKnownFunction() {
    // f = x0²·x1 + sin(x2): ∇f = [2·x0·x1, x0², cos(x2)]
    let p: [Float] = [0.7, -1.3, 2.1]
    let numeric = FiniteDifference.gradient(at: p) { v in
      let x = v.map(Double.init)
      return x[0] * x[0] * x[1] + sin(x[2])
    }
    let x = p.map(Double.init)
    let exact: [Double] = [2 * x[0] * x[1], x[0] * x[0], cos(x[2])]
    #expect(closeness(numeric, exact, rtol: 1e-5) == nil)
  }

  @Test func stepRoundingIsCompensated() {
    // f linear: the slope must come out exact although 0.1 ± 0.001 is rounded to Float;
    // dividing by 2h instead of the true distance would be off by about 6e-6 (numpy float32).
    let point: [Float] = [0.1, 1000]
    let numeric = FiniteDifference.gradient(at: point) { (v: [Float]) -> Double in
      let a = 3 * Double(v[0])
      return a - 0.5 * Double(v[1])
    }
    #expect(abs(numeric[0] - 3) < 1e-12 && abs(numeric[1] + 0.5) < 1e-12)
  }

  @Test func compareUsesFloorAndFindsWorst() {
    // errors: 5e-4/2.0005 ≈ 2.4994e-4; 0; 1e-7 / max(1e-3, 3e-7) = 1e-4
    let r = FiniteDifference.compare(
      analytic: [Double(1), 0, 1e-7], numeric: [1.0005, 0, 2e-7])
    #expect(r.worstIndex == 0)
    #expect(abs(r.maxRelativeError - 0.0005 / 2.0005) < 1e-12)
    #expect(r.failure(tolerance: 1e-3) == nil)
    #expect(r.failure(tolerance: 1e-4)?.contains("index 0") == true)
    let nan = FiniteDifference.compare(analytic: [Float.nan], numeric: [0])
    #expect(nan.maxRelativeError == .infinity && nan.failure() != nil)
  }

  @Test func closenessPassesWithinTolerance() {
    #expect(closeness([Float(1), 2, 3], [1.00001, 2, 3], rtol: 1e-4) == nil)
    #expect(closeness([Float(0)], [1e-7], atol: 1e-6) == nil)
    #expect(closeness([Double.infinity], [Double.infinity]) == nil)
    #expect(closeness(Float(2), 2.0) == nil)
  }

  @Test func closenessDescribesTheWorstMismatch() throws {
    let message = closeness([Float(1), 2.5, 3], [1, 2, 3.01], rtol: 1e-4)
    let m = try #require(message)
    #expect(m.contains("2 of 3 values differ"))
    #expect(m.contains("worst at 1: actual 2.5, expected 2.0"))
    #expect(m.contains("max abs error 0.5"))
  }

  @Test func closenessRejectsNaNAndMismatchedShapes() {
    #expect(closeness([Float.nan], [Float.nan]) != nil)
    #expect(closeness([Float(1)], [1, 2])?.contains("count mismatch") == true)
    let a = RefTensor<Float>.zeros([2, 3])
    let b = RefTensor<Float>.zeros([3, 2])
    #expect(closeness(a, b)?.contains("shape mismatch") == true)
    var c = a
    c[1, 2] = 1
    #expect(closeness(c, a)?.contains("worst at [1, 2]") == true)
  }
}
