import Statistics
import TestSupport
import Testing

@Suite("Ranks and rank correlations")
struct RankCorrelationTests {
  @Test func averageRanksWithTies() throws {
    // scipy.stats.rankdata([3, 1, 2, 2]) -> [4, 1, 2.5, 2.5]
    #expect(try Ranks.average([3, 1, 2, 2]) == [4, 1, 2.5, 2.5])
    // By hand: three-way tie at the top occupies ranks 2, 3, 4.
    #expect(try Ranks.average([5, 0, 5, 5]) == [3, 1, 3, 3])
    #expect(try Ranks.average([]) == [])
  }

  @Test func rankingRejectsNaN() {
    #expect(throws: StatisticsError.nonFiniteValue(what: "ranking", index: 1)) {
      try Ranks.average([1, .nan, 2])
    }
  }

  @Test func spearmanWithTiesMatchesScipy() throws {
    // scipy.stats.spearmanr([1,2,2,3,4,5,5,6], [2,1,3,3,5,4,6,6])
    // -> statistic 0.8902439024390245, pvalue 0.0030392955684888086
    let r = try Correlation.spearman([1, 2, 2, 3, 4, 5, 5, 6], [2, 1, 3, 3, 5, 4, 6, 6])
    #expect(statsClose(r.coefficient, 0.8902439024390245, 1e-12))
    #expect(statsRelClose(try #require(r.pValue), 0.0030392955684888086, 1e-8))

    // scipy.stats.spearmanr([3,1,4,1,5,9,2,6,5,3], [2,7,1,8,2,8,1,8,2,8])
    // -> 0.13471506281091267, pvalue 0.7106008805223829
    let r2 = try Correlation.spearman(
      [3, 1, 4, 1, 5, 9, 2, 6, 5, 3], [2, 7, 1, 8, 2, 8, 1, 8, 2, 8])
    #expect(statsClose(r2.coefficient, 0.13471506281091267, 1e-12))
    #expect(statsClose(try #require(r2.pValue), 0.7106008805223829, 1e-9))
  }

  @Test func spearmanByHandAndEdgeCases() throws {
    // Ranks [1,2,3,4] vs [1,3,2,4]: Σd² = 2, ρ = 1 − 6·2/(4·15) = 0.8.
    #expect(
      statsClose(try Correlation.spearman([10, 20, 30, 40], [1, 3, 2, 4]).coefficient, 0.8, 1e-15))
    #expect(try Correlation.spearman([1, 2, 3], [3, 2, 1]).coefficient == -1)
    #expect(try Correlation.spearman([1, 2, 3], [3, 2, 1]).pValue == 0)
    #expect(try Correlation.spearman([1, 2], [1, 2]).pValue == nil)
    #expect(throws: StatisticsError.constantInput(what: "Spearman correlation")) {
      try Correlation.spearman([1, 2, 3], [4, 4, 4])
    }
    #expect(
      throws: StatisticsError.lengthMismatch(what: "Spearman correlation", first: 3, second: 2)
    ) {
      try Correlation.spearman([1, 2, 3], [1, 2])
    }
  }

  @Test func pearsonMatchesScipy() throws {
    // scipy.stats.pearsonr([3,1,4,1,5,9,2,6,5,3], [2,7,1,8,2,8,1,8,2,8])
    // -> 0.10492284287735876, pvalue 0.7729913615627264
    let r = try Correlation.pearson(
      [3, 1, 4, 1, 5, 9, 2, 6, 5, 3], [2, 7, 1, 8, 2, 8, 1, 8, 2, 8])
    #expect(statsClose(r.coefficient, 0.10492284287735876, 1e-12))
    #expect(statsClose(try #require(r.pValue), 0.7729913615627264, 1e-9))
  }

  @Test func kendallTauBWithTiesMatchesScipy() throws {
    // scipy.stats.kendalltau([1,2,2,3,4,5,5,6], [2,1,3,3,5,4,6,6], method='asymptotic')
    // -> 0.7692307692307694, pvalue 0.010747577580460075
    let t = try Correlation.kendallTauB([1, 2, 2, 3, 4, 5, 5, 6], [2, 1, 3, 3, 5, 4, 6, 6])
    #expect(statsClose(t.coefficient, 0.7692307692307694, 1e-12))
    #expect(statsRelClose(try #require(t.pValue), 0.010747577580460075, 1e-9))

    // scipy.stats.kendalltau([3,1,4,1,5,9,2,6,5,3], [2,7,1,8,2,8,1,8,2,8], method='asymptotic')
    // -> 0.13041013273932525, pvalue 0.6325202921884683
    let t2 = try Correlation.kendallTauB(
      [3, 1, 4, 1, 5, 9, 2, 6, 5, 3], [2, 7, 1, 8, 2, 8, 1, 8, 2, 8])
    #expect(statsClose(t2.coefficient, 0.13041013273932525, 1e-12))
    #expect(statsClose(try #require(t2.pValue), 0.6325202921884683, 1e-9))

    // scipy.stats.kendalltau([1..7], [2,1,4,3,7,5,6], method='asymptotic')
    // -> 0.6190476190476191, pvalue 0.05088574121639127 (by hand: 17 concordant, 4 discordant)
    let t3 = try Correlation.kendallTauB([1, 2, 3, 4, 5, 6, 7], [2, 1, 4, 3, 7, 5, 6])
    #expect(statsClose(t3.coefficient, 13.0 / 21.0, 1e-15))
    #expect(statsClose(try #require(t3.pValue), 0.05088574121639127, 1e-10))
  }

  @Test func largerTiedSampleMatchesScipyAndBruteForce() throws {
    // x = next % 7, y = x + next % 5 from TestGenerator(seed: 17), 50 pairs; scipy:
    // spearmanr -> 0.8417127087436947, p 1.9160983304044383e-14
    // kendalltau(method='asymptotic') -> 0.7107906048080873, p 9.55305190049492e-11
    var g = TestGenerator(seed: 17)
    var x: [Double] = []
    var y: [Double] = []
    for _ in 0..<50 {
      let a = g.next() % 7
      let b = g.next() % 5
      x.append(Double(a))
      y.append(Double(a + b))
    }
    #expect(Array(x.prefix(5)) == [6, 3, 2, 3, 0])
    let rho = try Correlation.spearman(x, y)
    #expect(statsClose(rho.coefficient, 0.8417127087436947, 1e-12))
    #expect(statsRelClose(try #require(rho.pValue), 1.9160983304044383e-14, 1e-6))
    let tau = try Correlation.kendallTauB(x, y)
    #expect(statsClose(tau.coefficient, 0.7107906048080873, 1e-12))
    #expect(statsRelClose(try #require(tau.pValue), 9.55305190049492e-11, 1e-6))
    #expect(statsClose(tau.coefficient, bruteForceTauB(x, y), 1e-12))
  }

  @Test func kendallMatchesBruteForceOnRandomData() throws {
    var g = TestGenerator(seed: 99)
    for trial in 0..<5 {
      let n = 30 + trial * 17
      let x = (0..<n).map { _ in Double(g.next() % 9) }
      let y = (0..<n).map { i in x[i] * Double(trial % 2 == 0 ? 1 : -1) + Double(g.next() % 6) }
      #expect(
        statsClose(try Correlation.kendallTauB(x, y).coefficient, bruteForceTauB(x, y), 1e-12))
    }
  }

  @Test func kendallConstantInputThrows() {
    #expect(throws: StatisticsError.constantInput(what: "Kendall tau-b")) {
      try Correlation.kendallTauB([1, 1, 1], [1, 2, 3])
    }
  }

  /// Independent O(n²) definition of τ-b: (n_c − n_d)/sqrt((n₀ − n₁)(n₀ − n₂)).
  private func bruteForceTauB(_ x: [Double], _ y: [Double]) -> Double {
    var s = 0.0
    var pairsX = 0.0
    var pairsY = 0.0
    for i in x.indices {
      for j in (i + 1)..<x.count {
        let dx = (x[i] - x[j]).sign == .minus ? -1.0 : (x[i] == x[j] ? 0 : 1)
        let dy = (y[i] - y[j]).sign == .minus ? -1.0 : (y[i] == y[j] ? 0 : 1)
        s += dx * dy
        if dx != 0 { pairsX += 1 }
        if dy != 0 { pairsY += 1 }
      }
    }
    return s / (pairsX * pairsY).squareRoot()
  }
}
