#if canImport(Glibc)
  import Glibc
#endif

/// A 64-byte-aligned, zero-initialised buffer of Float32 elements that backs a ``Tensor``.
///
/// Reference type on purpose: kernels write into preallocated buffers in place. ``Tensor``
/// wraps it with copy-on-write value semantics.
public final class TensorStorage: @unchecked Sendable {
  /// Number of Float elements.
  public let count: Int
  /// The aligned base address.
  public let pointer: UnsafeMutablePointer<Float>

  /// Allocates `count` zeroed floats.
  public init(count: Int) {
    self.count = count
    let bytes = max(count, 1) * MemoryLayout<Float>.stride
    var raw: UnsafeMutableRawPointer?
    let status = posix_memalign(&raw, 64, bytes)
    guard status == 0, let raw else {
      fatalError("out of memory: could not allocate \(bytes) bytes for a tensor")
    }
    memset(raw, 0, bytes)
    pointer = raw.bindMemory(to: Float.self, capacity: max(count, 1))
  }

  /// A copy of this buffer.
  public func copy() -> TensorStorage {
    let s = TensorStorage(count: count)
    s.pointer.update(from: pointer, count: count)
    return s
  }

  deinit { free(pointer) }
}
