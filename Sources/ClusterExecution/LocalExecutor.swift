import Pruning

/// Evaluates in this process, one item after another (today's behaviour).
///
/// ```swift
/// let local = LocalExecutor(blend: try BlendFitnessEvaluator(network: net, space: space,
///                                                            data: data, context: ctx))
/// ```
public final class LocalExecutor: FitnessExecutor {
  private let blend: BlendFitnessEvaluator?
  private let sensitivity: SensitivityEvaluator?

  /// Evaluates genomes with `evaluator`.
  public init(blend evaluator: BlendFitnessEvaluator) {
    blend = evaluator
    sensitivity = nil
  }

  /// Evaluates sensitivity cases with `evaluator`.
  public init(sensitivity evaluator: SensitivityEvaluator) {
    blend = nil
    self.sensitivity = evaluator
  }

  public var name: String { "local" }

  public func measure(_ items: FitnessItems, done: (Int) -> Void, stop: () -> Bool) throws
    -> [FitnessMeasure]
  {
    switch items {
    case .genomes(let genomes):
      guard let blend else { throw ClusterError.invalidOption("this executor measures cases") }
      return try blend.evaluate(genomes, stop: stop, done: done)
    case .cases(let cases):
      guard let sensitivity else {
        throw ClusterError.invalidOption("this executor measures genomes")
      }
      var result: [FitnessMeasure] = []
      for c in cases {
        if stop() { break }
        result.append(try sensitivity.measure(c))
        done(result.count)
      }
      return result
    }
  }
}
