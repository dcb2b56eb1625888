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
    let g = gradient.storage.pointer
    let a = UnsafePointer(addend.storage.pointer)
    let y = UnsafePointer(dst.storage.pointer)
    let count = gradient.storage.count
    let vectors = count / 16
    // Fixed ranges of whole 16-value vectors over the team; the tail after them on this thread.
    teamParallel(vectors, threads: threads) { share in
      for v in share {
        let sum =
          UnsafeRawPointer(g + v * 16).loadUnaligned(as: SIMD16<Float>.self)
          + UnsafeRawPointer(a + v * 16).loadUnaligned(as: SIMD16<Float>.self)
        let out = UnsafeRawPointer(y + v * 16).loadUnaligned(as: SIMD16<Float>.self)
        UnsafeMutableRawPointer(g + v * 16).storeBytes(
          of: sum.replacing(with: 0, where: .!(out .> 0)), as: SIMD16<Float>.self)
      }
    }
    for k in (vectors * 16)..<count {
      g[k] = y[k] > 0 ? g[k] + a[k] : 0
    }
  }
}
