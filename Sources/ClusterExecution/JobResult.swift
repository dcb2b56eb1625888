import Pruning

/// `round-R/result-T.json`: what task `T` measured, with the content hashes of the files it
/// read, so the driver can check the worker evaluated exactly what it was given.
public struct JobResult: Codable, Sendable, Equatable {
  /// One measured item.
  public struct Item: Codable, Sendable, Equatable {
    /// The keep-masks' hash (``Pruning/BlendSpace/maskHash(_:)``) of what was pruned.
    public var maskHash: String
    /// Accuracy and loss as IEEE-754 bit patterns (exact through JSON).
    public var accuracyBits: UInt64
    public var lossBits: UInt64

    /// The item of `measure` on the masks hashing to `maskHash`.
    public init(maskHash: String, measure: FitnessMeasure) {
      self.maskHash = maskHash
      accuracyBits = measure.accuracy.bitPattern
      lossBits = measure.loss.bitPattern
    }

    /// The measurement, bit for bit.
    public var measure: FitnessMeasure {
      FitnessMeasure(accuracy: Double(bitPattern: accuracyBits), loss: Double(bitPattern: lossBits))
    }
  }

  /// ``JobManifest/currentFormat``.
  public var format: Int
  /// The round.
  public var round: Int
  /// The task.
  public var task: Int
  /// Content hash of `job.json`.
  public var manifestHash: String
  /// Content hash of the shard file.
  public var shardHash: String
  /// Content hashes of the model, images and problem files as the worker read them.
  public var modelHash: String
  public var imagesHash: String
  /// One per shard item, in order.
  public var items: [Item]
}
