import Render
import TensorCore

/// Settings of a runtime that a session records: the seed, the thread count, the data limit,
/// and the style rendered text is recorded in.
public struct RuntimeOptions: Sendable, Equatable {
  /// The session seed; a statement draws from `SeededRNG(seed: seed).derived(key)`, the key
  /// being what it computes (see ``Runtime``), not where it stands.
  public var seed: UInt64
  /// OpenMP threads for oneDNN.
  public var threads: Int
  /// How convolutions are computed; figures depend on it, so it is recorded in the session.
  public var convolution: ConvolutionAlgorithm
  /// When set, every `data` command keeps at most this many train and this many test images
  /// (a stratified subset): the knob that lets CI run a real session on a small subset.
  public var dataLimit: Int?
  /// The style a cell's rendered text is recorded in (colour is always off there).
  public var recordStyle: TerminalStyle
  /// The most bytes a command may plan to allocate for a model or a batch; nil: the memory
  /// the system reports available (`MemAvailable`). Not recorded: it changes what is refused,
  /// never a figure.
  public var memoryLimit: Int?
  /// When set, every file a command writes goes inside this folder (see ``FileTargets``):
  /// how a replay keeps a session from someone else from writing anywhere else. Not recorded.
  public var scratchFolder: String?
  /// When `.local`, commands run their evaluations in process whatever their `executor=`
  /// says (how a replay reproduces a session recorded on Slurm anywhere). Not recorded: the
  /// executor never changes a figure.
  public var executor: ExecutorOverride?
  /// The `shears` binary Slurm workers run (nil: `$SHEARS_EXECUTABLE`, else this process when
  /// it is `shears`). Not recorded.
  public var workerExecutable: String?

  /// Which executor a runtime forces.
  public enum ExecutorOverride: String, Sendable, Equatable {
    /// In process.
    case local
  }

  /// Seed 1, 2 threads, the default convolution algorithm, no data limit, plain ASCII records
  /// 80 columns wide.
  public init(
    seed: UInt64 = 1, threads: Int = 2, convolution: ConvolutionAlgorithm = .default,
    dataLimit: Int? = nil, recordStyle: TerminalStyle = .plain, memoryLimit: Int? = nil
  ) {
    self.convolution = convolution
    self.memoryLimit = memoryLimit
    self.seed = seed
    self.threads = threads
    self.dataLimit = dataLimit
    var style = recordStyle
    style.color = false
    self.recordStyle = style
  }
}
