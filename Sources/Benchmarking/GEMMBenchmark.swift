import TensorCore

/// GEMM throughput of the engine's matrix multiply (OpenBLAS): the best of three `n×n·n×n`
/// products after one warm-up, in GFLOP/s (`2n³` operations each).
public enum GEMMBenchmark {
  /// GFLOP/s of `GEMM.matmul` at size `n` (default 2048).
  public static func gflops(size n: Int = 2048) -> Double {
    var rng = SeededRNG(seed: 1)
    let a = Tensor(shape: [n, n], normalStd: 1, rng: &rng)
    let b = Tensor(shape: [n, n], normalStd: 1, rng: &rng)
    let times = Benchmark.times(warmup: 1, timed: 3) { _ = GEMM.matmul(a, b) }
    let best = times.min() ?? .infinity
    return 2 * Double(n * n * n) / best / 1e9
  }
}
