import CDNNL

/// A copy between two fixed layouts of the same dims (plain ↔ blocked), created once.
public final class ReorderKernel {
  let primitive: Primitive
  /// Source layout.
  public let from: MemoryDescriptor
  /// Destination layout.
  public let to: MemoryDescriptor

  /// Creates the reorder primitive.
  public init(context: ComputeContext, from: MemoryDescriptor, to: MemoryDescriptor) throws {
    self.from = from
    self.to = to
    primitive = try Primitive(context: context, reorderFrom: from, to: to)
  }

  /// Copies `source` into `destination`.
  public func execute(_ source: Tensor, into destination: inout Tensor) throws {
    guard source.descriptor == from, destination.descriptor == to else {
      throw TensorCoreError.shapeMismatch(
        "reorder built for \(from) → \(to), got \(source.descriptor) → \(destination.descriptor)")
    }
    destination.makeUnique()
    try primitive.execute([
      (DNNL_ARG_FROM, source.storage.pointer), (DNNL_ARG_TO, destination.storage.pointer),
    ])
  }
}
