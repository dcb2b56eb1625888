#if canImport(Glibc)
  import Glibc
#endif

/// Seconds on the monotonic clock (`CLOCK_MONOTONIC`): the one time source for progress, ETA,
/// cell timings and benchmarks. Only differences are meaningful.
public enum MonotonicClock {
  /// Now, in seconds since an unspecified start.
  public static func seconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
  }
}
