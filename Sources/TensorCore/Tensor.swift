/// A dense Float32 tensor with a shape and a memory layout.
///
/// Plain tensors are row-major over `shape` (NCHW for activations, OIHW for conv weights) and
/// are what anything that inspects values sees: criteria, checkpoints, tests. Inside the engine
/// activations live in oneDNN's blocked layouts (nChw16c), described by a ``MemoryDescriptor``;
/// convert with ``ComputeContext/reorder(_:to:)`` or ``ComputeContext/plain(_:)``.
///
/// `Tensor` is a value type with copy-on-write storage.
///
/// ```swift
/// var t = Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
/// t[1, 2] = 7
/// ```
public struct Tensor: @unchecked Sendable {
  /// Logical dims (for example `[N, C, H, W]`).
  public let shape: [Int]
  /// How the elements are laid out.
  public let descriptor: MemoryDescriptor
  /// The backing buffer (physical size, padding included).
  public private(set) var storage: TensorStorage

  /// A zero tensor with the plain layout.
  public init(zeros shape: [Int]) {
    self.init(zeros: MemoryDescriptor.plain(shape))
  }

  /// A zero tensor with the given layout (padding zeroed, as oneDNN expects).
  public init(zeros descriptor: MemoryDescriptor) {
    self.shape = descriptor.dims
    self.descriptor = descriptor
    self.storage = TensorStorage(count: descriptor.physicalCount)
  }

  /// A plain tensor filled with `value`.
  public init(shape: [Int], repeating value: Float) {
    self.init(zeros: shape)
    storage.pointer.update(repeating: value, count: storage.count)
  }

  /// A plain tensor holding `scalars` in row-major order.
  public init(shape: [Int], scalars: [Float]) {
    precondition(
      shape.reduce(1, *) == scalars.count,
      "Tensor(shape:scalars:) got \(scalars.count) values for shape \(shape)")
    self.init(zeros: shape)
    scalars.withUnsafeBufferPointer {
      // An empty shape (a zero dimension) has no base address and nothing to copy.
      if let base = $0.baseAddress { storage.pointer.update(from: base, count: $0.count) }
    }
  }

  /// A plain tensor of normal draws with standard deviation `std`.
  public init(shape: [Int], normalStd std: Float, rng: inout SeededRNG) {
    self.init(zeros: shape)
    for i in 0..<storage.count { storage.pointer[i] = rng.nextNormal() * std }
  }

  /// A plain tensor of uniform draws in `[-bound, bound)`.
  public init(shape: [Int], uniformBound bound: Float, rng: inout SeededRNG) {
    self.init(zeros: shape)
    for i in 0..<storage.count { storage.pointer[i] = (rng.nextFloat() * 2 - 1) * bound }
  }

  /// Number of logical elements.
  public var count: Int { shape.reduce(1, *) }

  /// True when the layout is plain row-major.
  public var isPlain: Bool { descriptor.isPlain }

  /// The elements in row-major order. Only for plain tensors.
  public var scalars: [Float] {
    precondition(isPlain, "scalars needs a plain tensor; reorder blocked tensors first")
    return Array(UnsafeBufferPointer(start: storage.pointer, count: count))
  }

  /// Element access by multi-index. Only for plain tensors.
  public subscript(_ index: Int...) -> Float {
    get { storage.pointer[offset(index)] }
    set {
      makeUnique()
      storage.pointer[offset(index)] = newValue
    }
  }

  func offset(_ index: [Int]) -> Int {
    precondition(isPlain && index.count == shape.count, "bad index \(index) for \(shape)")
    var o = 0
    for (i, d) in zip(index, shape) {
      precondition(i >= 0 && i < d, "index \(index) out of range for \(shape)")
      o = o * d + i
    }
    return o
  }

  /// Makes the storage uniquely owned (copy-on-write).
  public mutating func makeUnique() {
    if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
  }

  /// Read-only access to the physical buffer.
  public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Float>) throws -> R) rethrows
    -> R
  {
    try body(UnsafeBufferPointer(start: storage.pointer, count: storage.count))
  }

  /// Mutable access to the physical buffer (copies first if shared).
  public mutating func withUnsafeMutableBufferPointer<R>(
    _ body: (UnsafeMutableBufferPointer<Float>) throws -> R
  ) rethrows -> R {
    makeUnique()
    return try body(UnsafeMutableBufferPointer(start: storage.pointer, count: storage.count))
  }

  /// Sets every element (padding included) to zero.
  public mutating func zero() {
    makeUnique()
    storage.pointer.update(repeating: 0, count: storage.count)
  }

  /// The same elements viewed with another plain shape of equal count.
  public func reshaped(_ newShape: [Int]) -> Tensor {
    precondition(isPlain, "reshaped needs a plain tensor")
    precondition(newShape.reduce(1, *) == count, "cannot reshape \(shape) to \(newShape)")
    return Tensor(shape: newShape, descriptor: .plain(newShape), storage: storage)
  }

  init(shape: [Int], descriptor: MemoryDescriptor, storage: TensorStorage) {
    self.shape = shape
    self.descriptor = descriptor
    self.storage = storage
  }
}
