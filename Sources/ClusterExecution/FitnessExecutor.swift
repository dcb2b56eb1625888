import Pruning

/// The items of one round of work: a blend generation's genomes or a sweep's cases.
public enum FitnessItems: Sendable {
  /// Genomes of a blend search.
  case genomes([BlendGenome])
  /// Cases of a sensitivity sweep.
  case cases([SensitivityCase])

  /// How many items.
  public var count: Int {
    switch self {
    case .genomes(let g): return g.count
    case .cases(let c): return c.count
    }
  }
}

/// Where fitness evaluations run: in this process (``LocalExecutor``) or as Slurm array jobs
/// (``SlurmExecutor``). Every executor returns the same bits for the same items; only time and
/// place differ. Never prints: progress through `done`.
///
/// ```swift
/// let executor: any FitnessExecutor = LocalExecutor(blend: evaluator)
/// let measures = try executor.measure(.genomes(genomes), done: { _ in }, stop: { false })
/// ```
public protocol FitnessExecutor: AnyObject {
  /// `local` or `slurm`: what the session records.
  var name: String { get }
  /// Measures `items` in order; `done` hears how many are measured so far; when `stop` says
  /// so the work is cancelled and the measurements of the leading items that are done are
  /// returned (fewer than asked).
  func measure(_ items: FitnessItems, done: (Int) -> Void, stop: () -> Bool) throws
    -> [FitnessMeasure]
}
