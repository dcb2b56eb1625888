import Statistics
import TestSupport
import Testing

@Suite("Distribution functions")
struct DistributionTests {
  @Test func normalQuantileMatchesScipy() throws {
    // scipy.stats.norm.ppf(p) for each p.
    let cases: [(Double, Double)] = [
      (1e-300, -37.0470962993612), (1e-10, -6.361340902404056), (0.01, -2.3263478740408408),
      (0.3, -0.5244005127080409), (0.5, 0), (0.975, 1.959963984540054),
      (0.999999, 4.753424308817087),
    ]
    for (p, expected) in cases {
      #expect(
        statsClose(try NormalDistribution.quantile(p), expected, 1e-12 * max(1, abs(expected))))
    }
    #expect(try NormalDistribution.quantile(0) == -.infinity)
    #expect(throws: StatisticsError.self) { try NormalDistribution.quantile(1.5) }
  }

  @Test func normalCDFRoundTripsAndKnownValues() throws {
    // Φ(1.959963984540054) = 0.975 (scipy.stats.norm.ppf(0.975) above).
    #expect(statsClose(NormalDistribution.cdf(1.959963984540054), 0.975, 1e-15))
    #expect(NormalDistribution.cdf(0) == 0.5)
    for p in [1e-8, 0.02, 0.4, 0.77, 0.9999] {
      #expect(statsRelClose(NormalDistribution.cdf(try NormalDistribution.quantile(p)), p, 1e-13))
    }
    // Upper tail without cancellation: 1 − Φ(10) = 7.619853024160527e-24 (scipy norm.sf(10)).
    #expect(statsRelClose(NormalDistribution.sf(10), 7.619853024160527e-24, 1e-12))
  }

  @Test func studentTMatchesScipy() throws {
    // scipy.stats.t.cdf(-2.1, 5) = 0.044876624942299395; t.cdf(0.7, 30) = 0.7553397782501642;
    // t.sf(10, 3) = 0.0010641995292070751
    #expect(
      statsClose(
        try StudentTDistribution.cdf(-2.1, degreesOfFreedom: 5), 0.044876624942299395, 1e-13))
    #expect(
      statsClose(try StudentTDistribution.cdf(0.7, degreesOfFreedom: 30), 0.7553397782501642, 1e-13)
    )
    #expect(
      statsRelClose(
        try StudentTDistribution.sf(10, degreesOfFreedom: 3), 0.0010641995292070751, 1e-11))
    #expect(throws: StatisticsError.self) { try StudentTDistribution.cdf(1, degreesOfFreedom: 0) }
  }

  @Test func chiSquareAndIncompleteFunctionsMatchScipy() throws {
    // scipy.stats.chi2.cdf(3.0, 4) = 0.4421745996289252; chi2.sf(40.0, 2) = 2.0611536224385566e-09;
    // chi2.cdf(0.5, 1) = 0.5204998778130466; chi2.sf(120.0, 100) = 0.08440668109369177
    #expect(
      statsClose(try ChiSquareDistribution.cdf(3, degreesOfFreedom: 4), 0.4421745996289252, 1e-13))
    #expect(
      statsRelClose(
        try ChiSquareDistribution.sf(40, degreesOfFreedom: 2), 2.0611536224385566e-09, 1e-12))
    #expect(
      statsClose(try ChiSquareDistribution.cdf(0.5, degreesOfFreedom: 1), 0.5204998778130466, 1e-13)
    )
    #expect(
      statsClose(
        try ChiSquareDistribution.sf(120, degreesOfFreedom: 100), 0.08440668109369177, 1e-12))
    // scipy.special.betainc(2.5, 3.5, 0.4) = 0.4869041915261176;
    // betainc(100, 200, 0.3) = 0.10884306564490986
    #expect(
      statsClose(
        try SpecialFunctions.regularizedIncompleteBeta(0.4, a: 2.5, b: 3.5), 0.4869041915261176,
        1e-13))
    #expect(
      statsClose(
        try SpecialFunctions.regularizedIncompleteBeta(0.3, a: 100, b: 200), 0.10884306564490986,
        1e-11))
  }

  @Test func kolmogorovLimitMatchesScipy() {
    // scipy.stats.kstwobign.cdf(x)
    let cases: [(Double, Double)] = [
      (0.3, 9.305801334566636e-06), (0.8, 0.45585758842580193), (1.0, 0.7300003283226455),
      (1.5, 0.9777820373834749), (2.5, 0.9999925466936559),
    ]
    for (x, expected) in cases {
      #expect(statsClose(KolmogorovDistribution.cdf(x), expected, 1e-13))
    }
    // scipy.stats.kstwobign.sf(2.5) = 7.453306344157342e-06
    #expect(statsRelClose(KolmogorovDistribution.sf(2.5), 7.453306344157342e-06, 1e-10))
  }

  @Test func kolmogorovFiniteSampleMatchesScipy() throws {
    // scipy.stats.kstwo.cdf(d, n): (0.274, 10) 0.6284796154565043, (0.1, 100) 0.7473072429936126,
    // (0.05, 140) 0.14235197023438867; (0.6, 20) 0.9999997951698835 is in MTW's tail branch.
    // kstwo.cdf is P(D_n ≤ d), MTW's is P(D_n < d): equal for a continuous F.
    #expect(
      statsClose(
        try KolmogorovDistribution.finiteSampleCDF(0.274, n: 10), 0.6284796154565043, 1e-11))
    #expect(
      statsClose(try KolmogorovDistribution.finiteSampleCDF(0.1, n: 100), 0.7473072429936126, 1e-11)
    )
    #expect(
      statsClose(
        try KolmogorovDistribution.finiteSampleCDF(0.05, n: 140), 0.14235197023438867, 1e-11))
    #expect(
      statsClose(try KolmogorovDistribution.finiteSampleCDF(0.6, n: 20), 0.9999997951698835, 1e-7))
    // By hand: P(D_1 < d) = 2d − 1 for 1/2 ≤ d ≤ 1.
    #expect(statsClose(try KolmogorovDistribution.finiteSampleCDF(0.8, n: 1), 0.6, 1e-12))
  }
}
