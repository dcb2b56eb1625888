import CDNNL

/// Runs `body` once per thread of oneDNN's OpenMP team (`threads` asked), each on a fixed,
/// contiguous share of `0..<count`: thread `t` of a team of `T` takes `count·t/T ..< count·(t+1)/T`.
/// The shares depend only on the team size, and callers write disjoint outputs per index, so
/// results are the same bits for any thread count. Without libgomp it runs on this thread.
///
/// ```swift
/// teamParallel(images, threads: 2) { range in for n in range { copyImage(n) } }
/// ```
func teamParallel(_ count: Int, threads: Int, _ body: (Range<Int>) -> Void) {
  guard count > 0 else { return }
  withoutActuallyEscaping(body) { escaping in
    var job = TeamJob(count: count, body: escaping)
    withUnsafeMutablePointer(to: &job) { p in
      _ = shears_omp_parallel(teamWorker, UnsafeMutableRawPointer(p), UInt32(max(1, threads)))
    }
  }
}

/// What every thread of ``teamParallel(_:threads:_:)`` reads.
private struct TeamJob {
  var count: Int
  var body: (Range<Int>) -> Void
}

private let teamWorker: @convention(c) (UnsafeMutableRawPointer?) -> Void = { raw in
  guard let job = raw?.assumingMemoryBound(to: TeamJob.self).pointee else { return }
  let team = max(1, Int(shears_omp_num_threads()))
  let t = min(Int(shears_omp_thread_num()), team - 1)
  let lo = job.count * t / team
  let hi = job.count * (t + 1) / team
  if lo < hi { job.body(lo..<hi) }
}
