import NeuralNet

/// The criteria known by name, each with a one-line summary and what it needs.
///
/// ```swift
/// let registry = CriterionRegistry.standard
/// registry.names  // ["l1", "l2", "fpgm", "fermat", "bn", "taylor", "apoz", "hrank", "frs", …]
/// let all = try registry.score(registry.names, input: input)  // shared data passes
/// ```
public struct CriterionRegistry: Sendable {
  /// The criteria, in listing order.
  public private(set) var criteria: [any Criterion]

  /// A registry of `criteria` (names must be distinct; a later duplicate is ignored).
  public init(_ criteria: [any Criterion]) {
    var seen: Set<String> = []
    self.criteria = criteria.filter { seen.insert($0.name).inserted }
  }

  /// The standard criteria: l1, l2, fpgm, fermat, bn, taylor, apoz, hrank, frs, clr, random.
  public static let standard = CriterionRegistry([
    L1Criterion(), L2Criterion(), FPGMCriterion(), FermatCriterion(), BatchNormScaleCriterion(),
    TaylorCriterion(), APoZCriterion(), HRankCriterion(), FeatureRelevanceCriterion(),
    CLRCriterion(), RandomCriterion(),
  ])

  /// The names, in listing order.
  public var names: [String] { criteria.map(\.name) }

  /// Name, one-line summary and needs of every criterion.
  public var entries: [(name: String, summary: String, needs: CriterionNeeds)] {
    criteria.map { ($0.name, $0.summary, $0.needs) }
  }

  /// The criterion called `name`.
  public func criterion(named name: String) throws -> any Criterion {
    guard let c = criteria.first(where: { $0.name == name }) else {
      throw CriterionError.unknownCriterion(name: name, known: names)
    }
    return c
  }

  /// Scores with the criteria called `names`, in that order. Data-driven criteria share
  /// collection passes: one inference pass for apoz, hrank and frs, one training pass for
  /// taylor, over the same seeded images; each gives the same result as its own `score(_:)`.
  public func score(_ names: [String], input: ScoringInput) throws -> [LayerScores] {
    let chosen = try names.map { try criterion(named: $0) }
    var results: [LayerScores?] = Array(repeating: nil, count: chosen.count)
    var collecting: [(Int, any CollectingCriterion)] = []
    for (i, c) in chosen.enumerated() {
      if let cc = c as? any CollectingCriterion {
        collecting.append((i, cc))
      } else {
        results[i] = try c.score(input)
      }
    }
    if !collecting.isEmpty {
      let scored = try ActivationCollector(input: input).run(collecting.map(\.1))
      for ((i, _), s) in zip(collecting, scored) { results[i] = s }
    }
    // Every criterion's pass ran above and filled its slot.
    return results.compactMap { $0 }
  }
}
