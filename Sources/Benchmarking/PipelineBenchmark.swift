import NeuralNet
import Pruning
import TensorCore

/// Times the weight-only pruning pipeline — score, plan, surgery — the figure Torch-Pruning is
/// compared on (ResNet-56, L1, 50% uniform: 164 ms for Torch-Pruning on this machine).
public enum PipelineBenchmark {
  /// Seconds of each stage, the median over `repeats` runs.
  public struct Timing: Hashable, Sendable, Codable {
    /// Scoring seconds.
    public internal(set) var score: Double
    /// Planning seconds.
    public var plan: Double
    /// Surgery seconds.
    public internal(set) var surgery: Double
    /// Median of the per-run sums (not the sum of the medians).
    public var total: Double
  }

  /// Runs score (`criterion`, weights only) + plan (uniform `ratio`) + surgery on `network`.
  public static func run(
    network: Network, criterion: String = "l1", ratio: Double = 0.5, repeats: Int = 15,
    context: ComputeContext
  ) throws -> Timing {
    let c = try CriterionRegistry.standard.criterion(named: criterion)
    guard c.needs == .weights else {
      throw PruningError.invalidOption("the pipeline benchmark takes a weight-only criterion")
    }
    var rows: [(Double, Double, Double)] = []
    for _ in 0..<(repeats + 1) {
      let t0 = MonotonicClock.seconds()
      let scores = try c.score(
        ScoringInput(network: network, data: nil, context: context, rng: SeededRNG(seed: 0)))
      let t1 = MonotonicClock.seconds()
      let plan = try Planner(network: network).plan(scores: scores, ratio: ratio)
      let t2 = MonotonicClock.seconds()
      let pruned = try Surgery.prune(network, with: plan)
      let t3 = MonotonicClock.seconds()
      guard pruned.parameterCount < network.parameterCount else {
        throw PruningError.invalidOption(
          "the \(criterion) plan at ratio \(ratio) removed nothing from \(network.name); "
            + "time a ratio that prunes")
      }
      rows.append((t1 - t0, t2 - t1, t3 - t2))
    }
    rows.removeFirst()
    let median = Benchmark.median
    let totals = rows.map { $0.0 + $0.1 + $0.2 }
    return Timing(
      score: median(rows.map(\.0)), plan: median(rows.map(\.1)), surgery: median(rows.map(\.2)),
      total: median(totals))
  }
}
