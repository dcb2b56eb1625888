import Render

/// Settings of a runtime that a session records: the seed, the thread count, the data limit,
/// and the style rendered text is recorded in.
public struct RuntimeOptions: Sendable, Equatable {
  /// The session seed; cell `n` draws from `SeededRNG(seed: seed).derived("cell.n")`.
  public var seed: UInt64
  /// OpenMP threads for oneDNN.
  public var threads: Int
  /// When set, every `data` command keeps at most this many train and this many test images
  /// (a stratified subset): the knob that lets CI run a real session on a small subset.
  public var dataLimit: Int?
  /// The style a cell's rendered text is recorded in (colour is always off there).
  public var recordStyle: TerminalStyle

  /// Seed 1, 2 threads, no data limit, plain ASCII records 80 columns wide.
  public init(
    seed: UInt64 = 1, threads: Int = 2, dataLimit: Int? = nil,
    recordStyle: TerminalStyle = .plain
  ) {
    self.seed = seed
    self.threads = threads
    self.dataLimit = dataLimit
    var style = recordStyle
    style.color = false
    self.recordStyle = style
  }
}
