#if canImport(Glibc)
  import Glibc
#endif

/// CPU seconds this process has used, all its threads together (`CLOCK_PROCESS_CPUTIME_ID`).
/// Beside ``MonotonicClock`` it tells how much of the cores a timed stretch really had: CPU
/// seconds over wall seconds × threads near 1 on a quiet machine, well under it when another
/// process held the cores. Only differences are meaningful.
public enum ProcessCPUClock {
  /// CPU seconds used so far.
  public static func seconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
  }
}
