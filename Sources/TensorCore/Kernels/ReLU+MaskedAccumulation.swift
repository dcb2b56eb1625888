import CDNNL

/// The last gradient summed into a ReLU's output, and the ReLU's backward, in one pass:
/// `gradient = dst > 0 ? gradient + addend : 0`.
///
/// In a ResNet the block input feeds the next block's first convolution and its shortcut, so
/// its gradient is the shortcut's (the add's, shared) plus the convolution's; the ReLU that made
/// it then masks the sum. Run apart, the sum is one pass over memory (read two, write one) and
/// the mask another (read two, write one); here it is one (read three, write one). The result is
/// the same bits as the two apart: one float addition, then the mask.
///
/// Element-wise over the whole buffer (any layout; padding stays zero as it is zero in all
/// three), split into fixed ranges on oneDNN's OpenMP team.
extension ReLUKernel {
  /// `gradient = dst > 0 ? gradient + addend : 0`, element by element; all three share one
  /// layout. `threads` is the OpenMP team to use.
  public static func accumulateMasked(
    _ addend: Tensor, into gradient: inout Tensor, dst: Tensor, threads: Int
  ) throws {
    guard addend.descriptor == gradient.descriptor, dst.descriptor == gradient.descriptor else {
      throw TensorCoreError.shapeMismatch(
        "masked accumulation of \(addend.descriptor) into \(gradient.descriptor) under \(dst.descriptor)"
      )
    }
    gradient.makeUnique()
    var job = MaskedAccumulationJob(
      addend: UnsafePointer(addend.storage.pointer), dst: UnsafePointer(dst.storage.pointer),
      gradient: gradient.storage.pointer, count: gradient.storage.count)
    withUnsafeMutablePointer(to: &job) { p in
      _ = shears_omp_parallel(
        maskedAccumulationWorker, UnsafeMutableRawPointer(p), UInt32(max(1, threads)))
    }
  }
}

/// What every thread of ``ReLUKernel/accumulateMasked(_:into:dst:threads:)`` reads.
private struct MaskedAccumulationJob {
  var addend: UnsafePointer<Float>
  var dst: UnsafePointer<Float>
  var gradient: UnsafeMutablePointer<Float>
  var count: Int
}

/// One thread's share: a fixed range of whole 16-value vectors (the last thread takes the tail).
private let maskedAccumulationWorker: @convention(c) (UnsafeMutableRawPointer?) -> Void = { raw in
  guard let job = raw?.assumingMemoryBound(to: MaskedAccumulationJob.self).pointee else { return }
  let team = max(1, Int(shears_omp_num_threads()))
  let t = min(Int(shears_omp_thread_num()), team - 1)
  let vectors = job.count / 16
  let lo = vectors * t / team
  let hi = vectors * (t + 1) / team
  for v in lo..<hi {
    let g = UnsafeRawPointer(job.gradient + v * 16).loadUnaligned(as: SIMD16<Float>.self)
    let a = UnsafeRawPointer(job.addend + v * 16).loadUnaligned(as: SIMD16<Float>.self)
    let y = UnsafeRawPointer(job.dst + v * 16).loadUnaligned(as: SIMD16<Float>.self)
    let sum = g + a
    UnsafeMutableRawPointer(job.gradient + v * 16).storeBytes(
      of: sum.replacing(with: 0, where: .!(y .> 0)), as: SIMD16<Float>.self)
  }
  if t == team - 1 {
    for k in (vectors * 16)..<job.count {
      job.gradient[k] = job.dst[k] > 0 ? job.gradient[k] + job.addend[k] : 0
    }
  }
}
