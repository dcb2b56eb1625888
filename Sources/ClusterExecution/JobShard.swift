import Pruning

/// `round-R/shard-T.json`: the items task `T` of round `R` evaluates, and the hash of the
/// manifest they belong to.
public struct JobShard: Codable, Sendable, Equatable {
  /// ``JobManifest/currentFormat``.
  public var format: Int
  /// The round (a blend's generation, 0 for a sweep).
  public var round: Int
  /// The task (the Slurm array index).
  public var task: Int
  /// Content hash of `job.json`'s bytes.
  public var manifestHash: String
  /// Blend: the genomes, in order.
  public var genomes: [BlendGenome]?
  /// Sensitivity: the cases, in order.
  public var cases: [SensitivityCase]?

  /// How many items the shard holds.
  public var count: Int { genomes?.count ?? cases?.count ?? 0 }
}
