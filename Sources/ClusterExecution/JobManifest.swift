import TensorCore

/// `job.json` of a job folder: what every task of the job shares (the model checkpoint, the
/// images, the problem), each as a ``HashedFile``, and the settings that fix the bits of an
/// evaluation (threads, batch size). A worker reads it first and checks every file against it.
public struct JobManifest: Codable, Sendable, Equatable {
  /// The format this build writes and reads.
  public static let currentFormat = 1

  /// What the tasks evaluate.
  public enum Kind: String, Codable, Sendable {
    /// Genomes of a blend search (``Pruning/BlendFitnessEvaluator``).
    case blend
    /// Cases of a sensitivity sweep (one group pruned alone, masked evaluation).
    case sensitivity
  }

  /// Format version (``currentFormat``).
  public var format: Int
  /// What the tasks evaluate.
  public var kind: Kind
  /// oneDNN threads of every evaluation (the in-process evaluation's, so the bits match).
  public var threads: Int
  /// How every evaluation computes convolutions (nil: direct, as jobs written before the
  /// choice existed ran).
  public var convolution: ConvolutionAlgorithm?
  /// Images per batch of evaluation and recalibration.
  public var batchSize: Int
  /// `[channels, height, width]` of every image.
  public var imageShape: [Int]
  /// The model (``NeuralNet/Checkpoint`` format).
  public var model: HashedFile
  /// The fitness (or calibration) images: ``ImageFile`` format.
  public var images: HashedFile
  /// Images to re-estimate batch-norm statistics on (blend only; nil: none).
  public var recalibration: HashedFile?
  /// The problem: a blend's ``Pruning/BlendSpace`` as JSON (nil for a sensitivity sweep).
  public var problem: HashedFile?
  /// Where the images came from, for the record: indices into the training split.
  public var imageIndices: [Int]?
}
