import TensorCore

/// The timing loop every benchmark of the project shares: untimed warm-up runs, then timed
/// runs on ``TensorCore/MonotonicClock``, summarised by their median.
///
/// ```swift
/// let times = try Benchmark.times(warmup: 3, timed: 15) { try kernel.forward(x, into: &y) }
/// let ms = Benchmark.median(times) * 1000
/// ```
public enum Benchmark {
  /// Runs `body` `warmup` times untimed, calls `afterWarmup`, then runs it `timed` times and
  /// returns the seconds of each timed run. `beforeEach` runs before every run (warm-up too),
  /// outside the timing: an interruption check, say.
  public static func times(
    warmup: Int, timed: Int, beforeEach: () throws -> Void, afterWarmup: () -> Void,
    _ body: () throws -> Void
  ) rethrows -> [Double] {
    for _ in 0..<max(warmup, 0) {
      try beforeEach()
      try body()
    }
    afterWarmup()
    var times: [Double] = []
    times.reserveCapacity(max(timed, 0))
    for _ in 0..<max(timed, 0) {
      try beforeEach()
      times.append(try seconds(body))
    }
    return times
  }

  /// Runs `body` `warmup` times untimed, then `timed` times, and returns the seconds of each
  /// timed run.
  public static func times(warmup: Int, timed: Int, _ body: () throws -> Void) rethrows
    -> [Double]
  {
    try times(warmup: warmup, timed: timed, beforeEach: {}, afterWarmup: {}, body)
  }

  /// Seconds `body` takes once.
  public static func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = MonotonicClock.seconds()
    try body()
    return MonotonicClock.seconds() - start
  }

  /// The median of `values`: the middle one, or for an even count the upper of the two middle
  /// ones (no averaging, so the result is a measured time); NaN for no values.
  ///
  /// ```swift
  /// Benchmark.median([3, 1, 2])     // 2
  /// Benchmark.median([4, 1, 3, 2])  // 3
  /// ```
  public static func median(_ values: [Double]) -> Double {
    guard !values.isEmpty else { return .nan }
    return values.sorted()[values.count / 2]
  }
}
