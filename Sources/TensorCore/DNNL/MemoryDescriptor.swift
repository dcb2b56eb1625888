import CDNNL

#if canImport(Glibc)
  import Glibc
#endif

/// A oneDNN memory descriptor: the logical dims of a Float32 tensor and how its elements are laid
/// out in memory (plain row-major, or a blocked format such as nChw16c chosen by a primitive).
///
/// Descriptors are values; two are equal when oneDNN considers them the same layout.
public struct MemoryDescriptor: @unchecked Sendable, Equatable, CustomStringConvertible {
  var raw: dnnl_memory_desc_t

  init(raw: dnnl_memory_desc_t) { self.raw = raw }

  /// A plain, row-major descriptor (`a`, `ab`, `abc`, `abcd`, …) for `dims`.
  public static func plain(_ dims: [Int]) -> MemoryDescriptor {
    precondition(dims.count >= 1 && dims.count <= 6, "plain descriptors have 1 to 6 dims")
    let tags: [dnnl_format_tag_t] = [dnnl_a, dnnl_ab, dnnl_abc, dnnl_abcd, dnnl_abcde, dnnl_abcdef]
    return tagged(dims, tags[dims.count - 1])
  }

  /// oneDNN's nChw16c activation layout (channels blocked by 16) for NCHW `dims`.
  public static func nChw16c(_ dims: [Int]) -> MemoryDescriptor {
    precondition(dims.count == 4, "nChw16c needs NCHW dims")
    return tagged(dims, dnnl_aBcd16b)
  }

  /// Channels per block of the engine's activation layout (the nChw16c kernels and every
  /// activation of a network share it), read from the layout's own blocking descriptor: 16.
  /// A kept channel count that is a multiple of it computes no padding lanes.
  public static var channelBlock: Int {
    nChw16c([1, 1, 1, 1]).innerBlocks.first ?? 1
  }

  /// The inner block sizes of a blocked layout (`[16]` for nChw16c), empty for a plain one.
  public var innerBlocks: [Int] {
    guard raw.format_kind == dnnl_blocked else { return [] }
    let b = raw.format_desc.blocking
    let n = Int(b.inner_nblks)
    return withUnsafeBytes(of: b.inner_blks) { buf in
      let p = buf.bindMemory(to: dnnl_dim_t.self)
      return (0..<n).map { Int(p[$0]) }
    }
  }

  /// "Any layout": lets a primitive choose.
  static func any(_ dims: [Int]) -> MemoryDescriptor { tagged(dims, dnnl_format_tag_any) }

  static func tagged(_ dims: [Int], _ tag: dnnl_format_tag_t) -> MemoryDescriptor {
    var md = dnnl_memory_desc_t()
    let d = dims.map { dnnl_dim_t($0) }
    let status = dnnl_memory_desc_init_by_tag(&md, Int32(dims.count), d, dnnl_f32, tag)
    precondition(status == dnnl_success, "dnnl_memory_desc_init_by_tag failed for \(dims)")
    return MemoryDescriptor(raw: md)
  }

  /// The logical dims.
  public var dims: [Int] {
    withUnsafeBytes(of: raw.dims) { buf in
      let p = buf.bindMemory(to: dnnl_dim_t.self)
      return (0..<Int(raw.ndims)).map { Int(p[$0]) }
    }
  }

  /// Bytes needed to hold a tensor in this layout, padding included.
  public var byteCount: Int {
    var md = raw
    return dnnl_memory_desc_get_size(&md)
  }

  /// Float elements needed to hold a tensor in this layout, padding included.
  public var physicalCount: Int { byteCount / MemoryLayout<Float>.stride }

  /// True for the plain row-major layout of its dims.
  public var isPlain: Bool { self == MemoryDescriptor.plain(dims) }

  /// True for the nChw16c layout.
  public var isNChw16c: Bool { dims.count == 4 && self == MemoryDescriptor.nChw16c(dims) }

  public static func == (lhs: MemoryDescriptor, rhs: MemoryDescriptor) -> Bool {
    var a = lhs.raw
    var b = rhs.raw
    return dnnl_memory_desc_equal(&a, &b) != 0
  }

  public var description: String {
    let kind = isPlain ? "plain" : (isNChw16c ? "nChw16c" : "blocked")
    return "\(kind)\(dims)"
  }
}
