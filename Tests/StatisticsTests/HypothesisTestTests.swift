import Statistics
import TestSupport
import Testing

@Suite("Hypothesis tests")
struct HypothesisTestTests {
  /// A hand-made sample of 20 values used with several scipy tests below.
  static let sample20: [Double] = [
    2.3, -1.1, 0.4, 0.9, -0.2, 1.7, -0.8, 0.05, 3.1, -2.2, 0.6, 1.2, -0.5, 0.3, 2.0, -1.4, 0.8,
    0.1, -0.3, 1.5,
  ]

  @Test func oneSampleTTestMatchesScipy() throws {
    // scipy.stats.ttest_1samp(sample20, 0.0) -> 1.433442004986038, p 0.1679832140745635
    let r = try OneSampleTTest.test(Self.sample20)
    #expect(statsClose(r.statistic, 1.433442004986038, 1e-12))
    #expect(statsClose(r.pValue, 0.1679832140745635, 1e-12))
    // scipy.stats.ttest_1samp(sample20, 1.0) -> -1.9593201369927502, p 0.06491393133724563
    let r1 = try OneSampleTTest.test(Self.sample20, mean: 1)
    #expect(statsClose(r1.statistic, -1.9593201369927502, 1e-12))
    #expect(statsClose(r1.pValue, 0.06491393133724563, 1e-12))
    // By hand: [1, 2, 3] has mean 2, s = 1, t = 2/(1/√3) = 2√3.
    #expect(
      statsClose(try OneSampleTTest.test([1, 2, 3]).statistic, 2 * (3.0).squareRoot(), 1e-14))
    #expect(throws: StatisticsError.constantInput(what: "one-sample t-test")) {
      try OneSampleTTest.test([2, 2, 2])
    }
  }

  @Test func benjaminiHochbergByHandAndScipy() throws {
    // Sorted p: 0.01 (≤ 1·0.05/4), 0.03 (≤ 0.025? no), 0.04 (≤ 0.0375? no) , 0.5.
    // Largest i with p_(i) ≤ i·q/m: i = 1 only -> reject only the 0.01 hypothesis.
    #expect(
      try BenjaminiHochberg.rejections(pValues: [0.01, 0.04, 0.03, 0.5], q: 0.05)
        == [true, false, false, false])
    // Step-up: p_(3) = 0.03 ≤ 3·0.05/4 = 0.0375 rejects everything below it, including
    // p_(2) = 0.029 > 2·0.05/4 = 0.025.
    #expect(
      try BenjaminiHochberg.rejections(pValues: [0.5, 0.03, 0.029, 0.001], q: 0.05)
        == [false, true, true, true])
    // scipy.stats.false_discovery_control([0.01,0.04,0.03,0.5,0.001,0.2], method='bh')
    // -> [0.03, 0.06, 0.06, 0.5, 0.006, 0.24]
    let adjusted = try BenjaminiHochberg.adjustedPValues([0.01, 0.04, 0.03, 0.5, 0.001, 0.2])
    for (a, e) in zip(adjusted, [0.03, 0.06, 0.06, 0.5, 0.006, 0.24]) {
      #expect(statsClose(a, e, 1e-15))
    }
    #expect(try BenjaminiHochberg.rejections(pValues: [], q: 0.05) == [])
    #expect(throws: StatisticsError.self) {
      try BenjaminiHochberg.rejections(pValues: [0.1], q: 0)
    }
  }

  @Test func shapiroWilkSmallSamplesMatchScipy() throws {
    // scipy.stats.shapiro([1.0, 2.0, 4.0]) -> W 0.9642857142857142, p 0.6368868450289689
    let r3 = try ShapiroWilk.test([1, 2, 4])
    #expect(statsClose(r3.statistic, 0.9642857142857142, 1e-10))
    #expect(statsClose(r3.pValue, 0.6368868450289689, 1e-10))
    // scipy.stats.shapiro(sample20) -> W 0.9973128444387055, p 0.9999999859043737
    let r20 = try ShapiroWilk.test(Self.sample20)
    #expect(statsClose(r20.statistic, 0.9973128444387055, 1e-8))
    #expect(statsClose(r20.pValue, 0.9999999859043737, 1e-6))
    // scipy.stats.shapiro of TestGenerator(seed: 20 + n).normal() × n:
    let cases: [(Int, Double, Double)] = [
      (4, 0.864765843314773, 0.2776410740046428), (5, 0.94509205980624, 0.7021249582782872),
      (6, 0.7434728541626622, 0.017182602827093777), (7, 0.9337195070360664, 0.5829584884861722),
      (11, 0.94222054416312, 0.5469449983687957), (12, 0.9375620130826475, 0.4671492094971611),
    ]
    for (n, w, p) in cases {
      let r = try ShapiroWilk.test(TestGenerator.normals(seed: UInt64(20 + n), count: n))
      #expect(statsClose(r.statistic, w, 1e-8), "n = \(n)")
      #expect(statsClose(r.pValue, p, 1e-6), "n = \(n)")
    }
  }

  @Test func shapiroWilkGeneratedSamplesMatchScipy() throws {
    // scipy.stats.shapiro on TestGenerator samples:
    // normal seed 15, n 20  -> W 0.9376100121624852, p 0.21601350192646146
    // exponential seed 16, n 20 -> W 0.5780342939714789, p 1.7584574364305286e-06
    // normal seed 11, n 200 -> W 0.9978086678114337, p 0.9949513031884656
    // exponential seed 12, n 200 -> W 0.7828975612080318, p 6.124901500458778e-16
    // normal seed 13, n 100 -> W 0.9762548082215861, p 0.06766540652362234
    let cases: [([Double], Double, Double)] = [
      (TestGenerator.normals(seed: 15, count: 20), 0.9376100121624852, 0.21601350192646146),
      (
        TestGenerator.exponentials(seed: 16, count: 20), 0.5780342939714789,
        1.7584574364305286e-06
      ),
      (TestGenerator.normals(seed: 11, count: 200), 0.9978086678114337, 0.9949513031884656),
      (
        TestGenerator.exponentials(seed: 12, count: 200), 0.7828975612080318,
        6.124901500458778e-16
      ),
      (TestGenerator.normals(seed: 13, count: 100), 0.9762548082215861, 0.06766540652362234),
    ]
    for (sample, w, p) in cases {
      let r = try ShapiroWilk.test(sample)
      #expect(statsClose(r.statistic, w, 1e-8), "n = \(sample.count)")
      #expect(statsClose(r.pValue, p, 1e-6), "n = \(sample.count)")
    }
  }

  @Test func shapiroWilkLimitsAndLargeSample() throws {
    // scipy.stats.shapiro(TestGenerator(seed: 14) normals × 5000) -> W 0.9997439877125441,
    // p 0.8313959075019901
    let r = try ShapiroWilk.test(TestGenerator.normals(seed: 14, count: 5000))
    #expect(statsClose(r.statistic, 0.9997439877125441, 1e-8))
    #expect(statsClose(r.pValue, 0.8313959075019901, 1e-6))
    #expect(
      throws: StatisticsError.tooFewValues(what: "Shapiro–Wilk test", minimum: 3, actual: 2)
    ) { try ShapiroWilk.test([1, 2]) }
    #expect(throws: StatisticsError.self) { try ShapiroWilk(sampleSize: 5001) }
    #expect(throws: StatisticsError.constantInput(what: "Shapiro–Wilk test")) {
      try ShapiroWilk.test([1, 1, 1, 1])
    }
    // The coefficients are normalised: 2 Σ a² = 1.
    let sw = try ShapiroWilk(sampleSize: 37)
    #expect(statsClose(2 * sw.coefficients.reduce(0) { $0 + $1 * $1 }, 1, 1e-12))
  }

  @Test func dAgostinoPearsonMatchesScipy() throws {
    // scipy.stats.normaltest(sample20) -> 0.025299656448716158, p 0.9874298445498829;
    // skewtest 0.1470960226048333, kurtosistest 0.060517902992044695
    let r = try DAgostinoPearson.test(Self.sample20)
    #expect(statsClose(r.test.statistic, 0.025299656448716158, 1e-10))
    #expect(statsClose(r.test.pValue, 0.9874298445498829, 1e-10))
    #expect(statsClose(r.skewnessZ, 0.1470960226048333, 1e-10))
    #expect(statsClose(r.kurtosisZ, 0.060517902992044695, 1e-10))
    // scipy.stats.normaltest on TestGenerator samples:
    // normal seed 15 n 20 -> 1.9190480862645716, p 0.3830751698499806
    // exponential seed 16 n 20 -> 38.16907531200571, p 5.148617236947314e-09
    // normal seed 11 n 200 -> 0.107190425880867, p 0.9478156923883919
    // exponential seed 12 n 200 -> 115.02273254755275, p 1.0547049410430656e-25
    let cases: [([Double], Double, Double)] = [
      (TestGenerator.normals(seed: 15, count: 20), 1.9190480862645716, 0.3830751698499806),
      (
        TestGenerator.exponentials(seed: 16, count: 20), 38.16907531200571,
        5.148617236947314e-09
      ),
      (TestGenerator.normals(seed: 11, count: 200), 0.107190425880867, 0.9478156923883919),
      (
        TestGenerator.exponentials(seed: 12, count: 200), 115.02273254755275,
        1.0547049410430656e-25
      ),
    ]
    for (sample, k2, p) in cases {
      let result = try DAgostinoPearson.test(sample).test
      #expect(statsRelClose(result.statistic, k2, 1e-9), "n = \(sample.count)")
      #expect(statsRelClose(result.pValue, p, 1e-8), "n = \(sample.count)")
    }
    #expect(throws: StatisticsError.self) { try DAgostinoPearson.test([1, 2, 3, 4, 5, 6, 7]) }
  }

  @Test func kolmogorovSmirnovMatchesScipy() throws {
    // scipy.stats.kstest(sample20, 'norm') -> D 0.18814460141660339, p 0.4261620482010746
    let r = try KolmogorovSmirnov.testNormal(Self.sample20)
    #expect(statsClose(r.statistic, 0.18814460141660339, 1e-13))
    #expect(statsClose(r.pValue, 0.4261620482010746, 1e-9))
    // scipy.stats.kstest(sample20, 'norm', args=(0.5, 1.3)) -> 0.08065763039661256,
    // p 0.9980855404595308
    let r2 = try KolmogorovSmirnov.testNormal(Self.sample20, mean: 0.5, standardDeviation: 1.3)
    #expect(statsClose(r2.statistic, 0.08065763039661256, 1e-13))
    #expect(statsClose(r2.pValue, 0.9980855404595308, 1e-9))
    // TestGenerator samples, scipy.stats.kstest(x, 'norm'):
    // exponential seed 16 n 20 -> 0.5526443434139716, p 2.8621820192139156e-06 (MTW tail branch)
    // normal seed 13 n 100 -> 0.06826219178511927, p 0.7137938076386595 (exact)
    // normal seed 11 n 200 -> 0.05938502829820447, p 0.46325747246624993; scipy's kstwo is an
    //   approximation above n = 140: Durbin's matrix formula in exact rational arithmetic
    //   (Python fractions.Fraction, the MTW recursion) gives p = 0.46325840087187115.
    // normal seed 18 n 1500 -> 0.015351314159351204, p 0.8658850304854667 (scipy exact; ours is
    //   Stephens' approximation above n = 1000, so a looser tolerance)
    // same, args=(0.05, 1) -> 0.03527599262155723, p 0.04669787579708884
    let e20 = try KolmogorovSmirnov.testNormal(TestGenerator.exponentials(seed: 16, count: 20))
    #expect(statsClose(e20.statistic, 0.5526443434139716, 1e-13))
    #expect(statsClose(e20.pValue, 2.8621820192139156e-06, 1e-7))
    let n100 = try KolmogorovSmirnov.testNormal(TestGenerator.normals(seed: 13, count: 100))
    #expect(statsClose(n100.statistic, 0.06826219178511927, 1e-13))
    #expect(statsClose(n100.pValue, 0.7137938076386595, 1e-9))
    let n200 = try KolmogorovSmirnov.testNormal(TestGenerator.normals(seed: 11, count: 200))
    #expect(statsClose(n200.statistic, 0.05938502829820447, 1e-13))
    #expect(statsClose(n200.pValue, 0.46325840087187115, 1e-12))
    #expect(statsClose(n200.pValue, 0.46325747246624993, 1e-5))
    let sample1500 = TestGenerator.normals(seed: 18, count: 1500)
    let n1500 = try KolmogorovSmirnov.testNormal(sample1500)
    #expect(statsClose(n1500.statistic, 0.015351314159351204, 1e-13))
    #expect(statsClose(n1500.pValue, 0.8658850304854667, 5e-3))
    let shifted = try KolmogorovSmirnov.testNormal(sample1500, mean: 0.05, standardDeviation: 1)
    #expect(statsClose(shifted.statistic, 0.03527599262155723, 1e-13))
    #expect(statsClose(shifted.pValue, 0.04669787579708884, 2e-3))
  }
}
