import TestSupport
import Testing

@Suite struct RefTensorTests {
  @Test func indexingIsRowMajorNCHW() {
    let t = RefTensor<Float>(shape: [2, 3, 4, 5]) { Float($0) }
    // offset of [1, 2, 3, 4] = ((1·3 + 2)·4 + 3)·5 + 4 = 119
    #expect(t[1, 2, 3, 4] == 119)
    #expect(t[0, 1, 0, 0] == 20)
    #expect(t.multiIndex(of: 119) == [1, 2, 3, 4])
    #expect(t.count == 120 && t.rank == 4)
  }

  @Test func twoIndexSubscriptAndWrites() {
    var m = RefTensor<Double>.zeros([2, 3])
    m[1, 2] = 7
    m[0, 1] = -1
    #expect(m.values == [0, -1, 0, 0, 0, 7])
  }

  @Test func conversionToDoubleIsExact() {
    let t = RefTensor<Float>(shape: [3], values: [0.1, -2.5, 1e-7])
    let d = t.converted(to: Double.self)
    #expect(d.values == [Double(Float(0.1)), -2.5, Double(Float(1e-7))])
    #expect(d.converted(to: Float.self) == t)
  }
}
