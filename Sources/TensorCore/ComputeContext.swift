import CBLAS
import CDNNL
import Foundation

/// The engine's handle on oneDNN and OpenBLAS: a CPU engine, an in-order stream, a fixed thread
/// count, and one dedicated worker thread on which every kernel should run.
///
/// Why a dedicated thread: oneDNN (Debian's build) parallelises with OpenMP and takes its thread
/// count from the calling thread; libgomp keeps one worker team per calling thread, so calls
/// from many threads multiply teams and oversubscribe the cores (PERF_NOTES.md §5). Run whole
/// training steps inside ``perform(_:)``. OpenBLAS is set to one thread so its own pool never
/// spins against OpenMP's (PERF_NOTES.md §6); the engine's GEMMs are small.
///
/// Results are deterministic for a fixed thread count and convolution algorithm: oneDNN
/// partitions work statically.
public final class ComputeContext: @unchecked Sendable {
  /// OpenMP threads oneDNN uses.
  public let threads: Int
  /// How convolutions are computed (results depend on it, as on ``threads``).
  public let convolution: ConvolutionAlgorithm
  let engine: dnnl_engine_t
  let stream: dnnl_stream_t
  private let worker: WorkerThread
  /// The scratchpad every primitive executed on the worker thread shares: they run one at a
  /// time there, and a Winograd convolution's scratchpad (its transformed tiles) is tens of
  /// megabytes — one per primitive made resnet56's training take 3.2 GB instead of 0.8 GB.
  /// Touched only on the worker thread.
  nonisolated(unsafe) private var sharedScratchpad: TensorStorage?

  /// Creates a context using `threads` OpenMP threads (default: 2, this machine's cores) and
  /// computing convolutions with `convolution`.
  public init(threads: Int = 2, convolution: ConvolutionAlgorithm = .default) throws {
    precondition(threads >= 1, "threads must be at least 1")
    self.threads = threads
    self.convolution = convolution
    let worker = WorkerThread(name: "shears-compute")
    self.worker = worker
    openblas_set_num_threads(1)
    var result: Result<(dnnl_engine_t, dnnl_stream_t), Error> = .failure(
      TensorCoreError.invalidArgument("engine not created"))
    worker.run {
      _ = shears_omp_set_num_threads(Int32(threads))
      result = Result {
        var engine: dnnl_engine_t?
        try dnnlCheck(dnnl_engine_create(&engine, dnnl_cpu, 0), "dnnl_engine_create")
        var stream: dnnl_stream_t?
        try dnnlCheck(
          dnnl_stream_create(&stream, engine, dnnl_stream_default_flags.rawValue),
          "dnnl_stream_create")
        // Both creates succeeded (dnnlCheck threw otherwise), and a successful create sets its
        // out-parameter.
        return (engine!, stream!)
      }
    }
    (engine, stream) = try result.get()
  }

  deinit {
    dnnl_stream_destroy(stream)
    dnnl_engine_destroy(engine)
    worker.stop()
  }

  /// Runs `body` on the context's worker thread and waits for it. Calls from the worker itself
  /// run inline, so nesting is safe.
  public func perform<T>(_ body: () throws -> T) rethrows -> T {
    if worker.isCurrent { return try body() }
    return try withoutActuallyEscaping(body) { escapable in
      nonisolated(unsafe) let job = escapable
      nonisolated(unsafe) var result: Result<T, Error>!
      worker.run { result = Result { try job() } }
      // `run` returns after the job ran, and the job always sets `result`.
      switch result! {
      case .success(let value): return value
      case .failure(let error): throw error
      }
    }
  }

  /// Whether the caller is the context's worker thread.
  var onWorkerThread: Bool { worker.isCurrent }

  /// The shared scratchpad, grown to at least `floats` (call on the worker thread only; the
  /// storage returned stays valid while the caller holds it, even if a later call grows it).
  func scratchpad(floats: Int) -> TensorStorage {
    if let s = sharedScratchpad, s.count >= floats { return s }
    let grown = TensorStorage(count: floats)
    sharedScratchpad = grown
    return grown
  }

  /// Waits for all submitted primitives (the stream is in order; CPU execution is synchronous,
  /// so this is cheap).
  func wait() { dnnl_stream_wait(stream) }

  /// Copies `tensor` into `descriptor`'s layout (same dims).
  public func reorder(_ tensor: Tensor, to descriptor: MemoryDescriptor) throws -> Tensor {
    if tensor.descriptor == descriptor { return tensor }
    var out = Tensor(zeros: descriptor)
    try reorder(tensor, into: &out)
    return out
  }

  /// Copies `source` into the existing `destination` (any layouts, same dims).
  public func reorder(_ source: Tensor, into destination: inout Tensor) throws {
    guard source.shape == destination.shape else {
      throw TensorCoreError.shapeMismatch("reorder \(source.shape) into \(destination.shape)")
    }
    let r = try ReorderKernel(context: self, from: source.descriptor, to: destination.descriptor)
    try r.execute(source, into: &destination)
  }

  /// A plain-layout copy (or `tensor` itself when already plain).
  public func plain(_ tensor: Tensor) throws -> Tensor {
    try reorder(tensor, to: .plain(tensor.shape))
  }
}

/// A thread that runs submitted closures one at a time, in order.
///
/// A job's closure is released before its submitter is woken, so callers may pass closures
/// made with `withoutActuallyEscaping`.
final class WorkerThread: @unchecked Sendable {
  private struct Job {
    var body: () -> Void
    var done: DispatchSemaphore
  }
  private let condition = NSCondition()
  private var jobs: [Job] = []
  private var stopping = false
  /// Set once in `init` before anything can read it.
  private var thread: Thread!

  init(name: String) {
    let t = Thread { [unowned self] in self.loop() }
    t.name = name
    t.stackSize = 16 << 20
    thread = t
    t.start()
  }

  var isCurrent: Bool { Thread.current == thread }

  private func loop() {
    while true {
      condition.lock()
      while jobs.isEmpty && !stopping { condition.wait() }
      if jobs.isEmpty && stopping {
        condition.unlock()
        return
      }
      var job: Job? = jobs.removeFirst()
      condition.unlock()
      // `job` was just taken from the non-empty queue; it is cleared only after the body ran.
      let done = job!.done
      job!.body()
      job = nil
      done.signal()
    }
  }

  /// Runs `body` on the worker and blocks until it has finished.
  func run(_ body: @escaping () -> Void) {
    let done = DispatchSemaphore(value: 0)
    condition.lock()
    jobs.append(Job(body: body, done: done))
    condition.signal()
    condition.unlock()
    done.wait()
  }

  func stop() {
    condition.lock()
    stopping = true
    condition.signal()
    condition.unlock()
  }
}
