import CDNNL

/// One oneDNN primitive, created once for fixed shapes and layouts and executed many times.
///
/// It owns its primitive descriptor (for layout queries) and one `dnnl_memory_t` per execute
/// argument whose data handle is re-pointed on each call. Its scratchpad is user-mode (memory
/// stays under the engine's control): a large one (4 MiB or more: Winograd's transformed tiles)
/// is, on the context's worker thread, the context's one shared scratchpad (primitives run one
/// at a time there); a small one, or a call from another thread, uses a scratchpad of the
/// primitive's own, made on first use.
final class Primitive {
  let context: ComputeContext
  let pd: dnnl_primitive_desc_t
  let primitive: dnnl_primitive_t
  /// Scratchpads from this size on (4 MiB) are the context's shared one; smaller ones stay the
  /// primitive's own (they cost little, and stay warm in cache between its calls).
  static let sharedScratchpadFloats = 1 << 20
  private var scratchpadFloats = 0
  private var ownScratchpad: TensorStorage?
  private var memories: [Int32: dnnl_memory_t] = [:]
  let name: String

  /// Creates a primitive from an operation descriptor (`dnnl_*_desc_t`).
  init<Desc>(
    context: ComputeContext, name: String, desc: inout Desc, postOps: dnnl_post_ops_t? = nil,
    hint: Primitive? = nil
  ) throws {
    self.context = context
    self.name = name
    let made = try Primitive.create(name: name, postOps: postOps) { attr, pd in
      let status = withUnsafePointer(to: &desc) { p in
        dnnl_primitive_desc_create(&pd, UnsafeRawPointer(p), attr, context.engine, hint?.pd)
      }
      try dnnlCheck(status, "\(name): dnnl_primitive_desc_create")
    }
    self.pd = made.pd
    self.primitive = made.primitive
    try allocateScratchpad()
  }

  /// Creates a reorder primitive between two layouts.
  init(context: ComputeContext, reorderFrom src: MemoryDescriptor, to dst: MemoryDescriptor) throws
  {
    self.context = context
    self.name = "reorder"
    let made = try Primitive.create(name: "reorder") { attr, pd in
      var s = src.raw
      var d = dst.raw
      try dnnlCheck(
        dnnl_reorder_primitive_desc_create(&pd, &s, context.engine, &d, context.engine, attr),
        "dnnl_reorder_primitive_desc_create")
    }
    self.pd = made.pd
    self.primitive = made.primitive
    try allocateScratchpad()
  }

  /// Makes primitive attributes that ask for a user-mode scratchpad (plus `postOps` when
  /// given), lets `makeDescriptor` create the primitive descriptor with them, and creates the
  /// primitive of that descriptor. The attributes are destroyed before it returns.
  private static func create(
    name: String, postOps: dnnl_post_ops_t? = nil,
    _ makeDescriptor: (dnnl_primitive_attr_t?, inout dnnl_primitive_desc_t?) throws -> Void
  ) throws -> (pd: dnnl_primitive_desc_t, primitive: dnnl_primitive_t) {
    var attr: dnnl_primitive_attr_t?
    try dnnlCheck(dnnl_primitive_attr_create(&attr), "dnnl_primitive_attr_create")
    defer { dnnl_primitive_attr_destroy(attr) }
    try dnnlCheck(
      dnnl_primitive_attr_set_scratchpad_mode(attr, dnnl_scratchpad_mode_user),
      "set_scratchpad_mode")
    if let postOps {
      try dnnlCheck(dnnl_primitive_attr_set_post_ops(attr, postOps), "set_post_ops")
    }
    var pd: dnnl_primitive_desc_t?
    try makeDescriptor(attr, &pd)
    var prim: dnnl_primitive_t?
    try dnnlCheck(dnnl_primitive_create(&prim, pd), "\(name): dnnl_primitive_create")
    // Both creates succeeded (dnnlCheck threw otherwise), and a successful create sets its
    // out-parameter.
    return (pd!, prim!)
  }

  private func allocateScratchpad() throws {
    let md = query(dnnl_query_scratchpad_md)
    let bytes = md.byteCount
    scratchpadFloats = bytes > 0 ? (bytes + 3) / 4 : 0
  }

  deinit {
    for m in memories.values { dnnl_memory_destroy(m) }
    dnnl_primitive_destroy(primitive)
    dnnl_primitive_desc_destroy(pd)
  }

  /// The memory descriptor the primitive reports for `what` (e.g. `dnnl_query_dst_md`).
  func query(_ what: dnnl_query_t, index: Int32 = 0) -> MemoryDescriptor {
    guard let p = dnnl_primitive_desc_query_md(pd, what, index) else {
      return MemoryDescriptor(raw: dnnl_memory_desc_t())
    }
    return MemoryDescriptor(raw: p.pointee)
  }

  /// The memory descriptor of execute argument `arg` (`DNNL_ARG_*`).
  func argDescriptor(_ arg: Int32) -> MemoryDescriptor {
    query(dnnl_query_exec_arg_md, index: arg)
  }

  /// The implementation oneDNN chose (e.g. `jit:avx512_core`).
  var implementation: String {
    var p: UnsafePointer<CChar>?
    let status = withUnsafeMutablePointer(to: &p) { ptr in
      dnnl_primitive_desc_query(pd, dnnl_query_impl_info_str, 0, UnsafeMutableRawPointer(ptr))
    }
    guard status == dnnl_success, let p else { return "?" }
    return String(cString: p)
  }

  /// Executes with the given arguments (`DNNL_ARG_*` → buffer). The scratchpad is added here.
  func execute(_ args: [(Int32, UnsafeMutablePointer<Float>)]) throws {
    var execArgs: [dnnl_exec_arg_t] = []
    execArgs.reserveCapacity(args.count + 1)
    for (arg, ptr) in args {
      execArgs.append(dnnl_exec_arg_t(arg: arg, memory: try memory(for: arg, pointer: ptr)))
    }
    var scratchpad: TensorStorage?
    if scratchpadFloats > 0 {
      if scratchpadFloats >= Primitive.sharedScratchpadFloats, context.onWorkerThread {
        scratchpad = context.scratchpad(floats: scratchpadFloats)
      } else {
        if ownScratchpad == nil { ownScratchpad = TensorStorage(count: scratchpadFloats) }
        scratchpad = ownScratchpad
      }
    }
    if let scratchpad {
      execArgs.append(
        dnnl_exec_arg_t(
          arg: DNNL_ARG_SCRATCHPAD,
          memory: try memory(for: DNNL_ARG_SCRATCHPAD, pointer: scratchpad.pointer)))
    }
    try withExtendedLifetime(scratchpad) {
      try dnnlCheck(
        dnnl_primitive_execute(primitive, context.stream, Int32(execArgs.count), execArgs),
        "\(name): dnnl_primitive_execute")
    }
  }

  private func memory(for arg: Int32, pointer: UnsafeMutablePointer<Float>) throws -> dnnl_memory_t
  {
    if let m = memories[arg] {
      try dnnlCheck(dnnl_memory_set_data_handle(m, pointer), "dnnl_memory_set_data_handle")
      return m
    }
    var md = (arg == DNNL_ARG_SCRATCHPAD ? query(dnnl_query_scratchpad_md) : argDescriptor(arg)).raw
    var m: dnnl_memory_t?
    try dnnlCheck(
      dnnl_memory_create(&m, &md, context.engine, pointer), "\(name): dnnl_memory_create(\(arg))")
    // Set by the successful create (dnnlCheck threw otherwise).
    memories[arg] = m!
    return m!
  }
}
