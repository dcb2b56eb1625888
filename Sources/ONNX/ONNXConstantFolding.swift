/// Evaluates the small constant sub-graphs exporters leave in a graph (PyTorch computes
/// `F.pad`'s pads with ConstantOfShape, Concat, Reshape, a reversing Slice, Transpose and
/// Cast when it does not fold constants itself). Every operator works on whole constants of any
/// rank; elements are moved, never computed, except by Cast and the four arithmetic operators.
enum ONNXConstantFolding {
  /// The operators this folds when all their inputs are constants.
  static let operators: Set<String> = [
    "ConstantOfShape", "Concat", "Reshape", "Slice", "Transpose", "Gather", "Squeeze",
    "Unsqueeze", "Cast", "Identity", "Add", "Sub", "Mul", "Div", "Neg",
  ]

  /// Why a fold failed (the reader turns it into an error naming the node).
  struct Failure: Error {
    var problem: String
  }

  /// Row-major strides of `dims`.
  static func strides(_ dims: [Int]) -> [Int] {
    var s = [Int](repeating: 1, count: dims.count)
    var k = dims.count - 2
    while k >= 0 {
      s[k] = s[k + 1] * dims[k + 1]
      k -= 1
    }
    return s
  }

  /// `c`'s elements at flat positions `sources`, shaped `dims`.
  static func pick(_ c: ONNXConstant, _ sources: [Int], dims: [Int]) -> ONNXConstant {
    var out = ONNXConstant(ints: [], dims: dims)
    out.ints = c.ints.map { v in sources.map { v[$0] } }
    out.floats = c.floats.map { v in sources.map { v[$0] } }
    return out
  }

  /// All multi-indices of `dims`, in row-major order.
  static func indices(_ dims: [Int]) -> [[Int]] {
    guard let count = dims.elementCount, count > 0 else { return [] }
    var result: [[Int]] = []
    result.reserveCapacity(count)
    var index = [Int](repeating: 0, count: dims.count)
    for _ in 0..<count {
      result.append(index)
      var k = dims.count - 1
      while k >= 0 {
        index[k] += 1
        if index[k] < dims[k] { break }
        index[k] = 0
        k -= 1
      }
    }
    return result
  }

  static func axis(_ a: Int64, rank: Int) throws -> Int {
    let r = Int(a < 0 ? a + Int64(rank) : a)
    guard r >= 0, r < max(rank, 1) else {
      throw Failure(problem: "axis \(a) of a rank-\(rank) constant")
    }
    return r
  }

  /// Folds `opType` over constant `inputs` (nil for an omitted optional input).
  static func fold(_ opType: String, _ inputs: [ONNXConstant?], _ attributes: ONNXAttributes)
    throws -> ONNXConstant
  {
    func input(_ i: Int) throws -> ONNXConstant {
      guard i < inputs.count, let c = inputs[i] else {
        throw Failure(problem: "input \(i) is missing")
      }
      return c
    }
    switch opType {
    case "Identity":
      return try input(0)
    case "ConstantOfShape":
      let dims = (try input(0).integers ?? []).map { Int($0) }
      guard let count = dims.elementCount, count <= 1 << 20 else {
        throw Failure(problem: "shape \(dims)")
      }
      if let t = attributes.tensor("value") {
        let v: ONNXConstant
        do {
          v = try ONNXConstant(t) { .exportFailed(problem: $0) }
        } catch ONNXError.exportFailed(let problem) {
          throw Failure(problem: problem)
        }
        var out = ONNXConstant(ints: [], dims: dims)
        out.ints = v.ints.map { Array(repeating: $0.first ?? 0, count: count) }
        out.floats = v.floats.map { Array(repeating: $0.first ?? 0, count: count) }
        return out
      }
      return ONNXConstant(floats: Array(repeating: 0, count: count), dims: dims)
    case "Cast":
      let c = try input(0)
      let to = attributes.int("to") ?? 1
      switch Onnx_TensorProto.DataType(rawValue: Int(to)) {
      case .float, .double, .float16, .bfloat16:
        return ONNXConstant(floats: c.reals ?? [], dims: c.dims)
      default:
        return ONNXConstant(ints: c.integers ?? [], dims: c.dims)
      }
    case "Reshape":
      let c = try input(0)
      let target = (try input(1).integers ?? []).map { Int($0) }
      var dims = target.enumerated().map { i, d in d == 0 && i < c.dims.count ? c.dims[i] : d }
      if let unknown = dims.firstIndex(of: -1) {
        let others = dims.enumerated().filter { $0.offset != unknown }.map(\.element)
        guard let known = others.elementCount, known > 0, c.count % known == 0 else {
          throw Failure(problem: "reshape to \(target)")
        }
        dims[unknown] = c.count / known
      }
      guard dims.elementCount == c.count else {
        throw Failure(problem: "reshape of \(c.dims) to \(target)")
      }
      var out = c
      out.dims = dims
      return out
    case "Unsqueeze", "Squeeze":
      let c = try input(0)
      let axes = attributes.ints("axes") ?? (inputs.count > 1 ? inputs[1]?.integers : nil)
      var out = c
      if opType == "Squeeze" {
        if let axes {
          let drop = Set(try axes.map { try axis($0, rank: c.dims.count) })
          out.dims = c.dims.enumerated().filter { !drop.contains($0.offset) }.map(\.element)
        } else {
          out.dims = c.dims.filter { $0 != 1 }
        }
      } else {
        guard let axes else { throw Failure(problem: "Unsqueeze without axes") }
        let rank = c.dims.count + axes.count
        let add = Set(try axes.map { try axis($0, rank: rank) })
        var dims: [Int] = []
        var next = 0
        for k in 0..<rank {
          if add.contains(k) {
            dims.append(1)
          } else {
            dims.append(c.dims[next])
            next += 1
          }
        }
        out.dims = dims
      }
      return out
    case "Concat":
      let parts = try (0..<inputs.count).map { try input($0) }.filter {
        $0.count > 0 || $0.dims.count > 1
      }
      guard let first = parts.first else { return ONNXConstant(ints: []) }
      let rank = max(first.dims.count, 1)
      let a = try axis(attributes.int("axis") ?? 0, rank: rank)
      let shaped = parts.map { p -> ONNXConstant in
        var q = p
        if q.dims.isEmpty { q.dims = [1] }
        return q
      }
      var dims = shaped[0].dims
      dims[a] = shaped.reduce(0) { $0 + $1.dims[a] }
      // Concatenate the element lists, then pick each output element from its part.
      var combined = ONNXConstant(ints: [], dims: [])
      combined.ints = shaped.allSatisfy({ $0.ints != nil }) ? shaped.flatMap { $0.ints! } : nil
      combined.floats = combined.ints == nil ? shaped.flatMap { $0.reals ?? [] } : nil
      var offsets: [Int] = []
      var total = 0
      for p in shaped {
        offsets.append(total)
        total += p.count
      }
      var sources: [Int] = []
      for index in indices(dims) {
        var position = index[a]
        var part = 0
        while position >= shaped[part].dims[a] {
          position -= shaped[part].dims[a]
          part += 1
        }
        var local = index
        local[a] = position
        let s = strides(shaped[part].dims)
        sources.append(offsets[part] + zip(local, s).reduce(0) { $0 + $1.0 * $1.1 })
      }
      return pick(combined, sources, dims: dims)
    case "Transpose":
      let c = try input(0)
      let perm =
        attributes.ints("perm").map { $0.map { Int($0) } } ?? Array((0..<c.dims.count).reversed())
      guard perm.sorted() == Array(0..<c.dims.count) else { throw Failure(problem: "perm \(perm)") }
      let dims = perm.map { c.dims[$0] }
      let s = strides(c.dims)
      let sources = indices(dims).map { index in
        index.enumerated().reduce(0) { $0 + $1.element * s[perm[$1.offset]] }
      }
      return pick(c, sources, dims: dims)
    case "Slice":
      let c = try input(0)
      let starts = try input(1).integers ?? []
      let ends = try input(2).integers ?? []
      let axes =
        (inputs.count > 3 ? inputs[3]?.integers : nil) ?? (0..<Int64(starts.count)).map { $0 }
      let steps =
        (inputs.count > 4 ? inputs[4]?.integers : nil) ?? Array(repeating: 1, count: starts.count)
      var ranges = c.dims.map { (start: 0, step: 1, count: $0) }
      for k in 0..<starts.count {
        let a = try axis(axes[k], rank: c.dims.count)
        let n = Int64(c.dims[a])
        let step = steps[k]
        guard step != 0 else { throw Failure(problem: "step 0") }
        var start = starts[k] < 0 ? starts[k] + n : starts[k]
        var end = ends[k] < 0 ? (ends[k] <= -Int64(Int32.max) ? -1 : ends[k] + n) : ends[k]
        if step > 0 {
          start = min(max(start, 0), n)
          end = min(max(end, 0), n)
          ranges[a] = (Int(start), Int(step), Int(max(0, (end - start + step - 1) / step)))
        } else {
          start = min(max(start, -1), n - 1)
          end = min(max(end, -1), n - 1)
          ranges[a] = (Int(start), Int(step), Int(max(0, (start - end - step - 1) / -step)))
        }
      }
      let dims = ranges.map(\.count)
      let s = strides(c.dims)
      let sources = indices(dims).map { index in
        index.enumerated().reduce(0) { total, e in
          total + (ranges[e.offset].start + e.element * ranges[e.offset].step) * s[e.offset]
        }
      }
      return pick(c, sources, dims: dims)
    case "Gather":
      let c = try input(0)
      let g = try input(1)
      let a = try axis(attributes.int("axis") ?? 0, rank: c.dims.count)
      let picks = (g.integers ?? []).map { Int($0 < 0 ? $0 + Int64(c.dims[a]) : $0) }
      guard picks.allSatisfy({ $0 >= 0 && $0 < c.dims[a] }) else {
        throw Failure(problem: "index out of range")
      }
      let dims = Array(c.dims[..<a]) + g.dims + Array(c.dims[(a + 1)...])
      let s = strides(c.dims)
      let sources = indices(dims).map { index -> Int in
        let outer = index[..<a]
        let inner = index[(a + g.dims.count)...]
        let gIndex = index[a..<(a + g.dims.count)]
        let flatG = zip(gIndex, strides(g.dims)).reduce(0) { $0 + $1.0 * $1.1 }
        let source = Array(outer) + [picks[flatG]] + Array(inner)
        return zip(source, s).reduce(0) { $0 + $1.0 * $1.1 }
      }
      return pick(c, sources, dims: dims)
    case "Neg":
      let c = try input(0)
      var out = c
      out.ints = c.ints?.map { -$0 }
      out.floats = c.floats?.map { -$0 }
      return out
    case "Add", "Sub", "Mul", "Div":
      let a = try input(0)
      let b = try input(1)
      guard a.count == b.count || a.count == 1 || b.count == 1 else {
        throw Failure(problem: "broadcasts \(a.dims) with \(b.dims)")
      }
      let dims = a.count >= b.count ? a.dims : b.dims
      let n = max(a.count, b.count)
      if let x = a.ints, let y = b.ints {
        let values = try (0..<n).map { i -> Int64 in
          let (p, q) = (x[a.count == 1 ? 0 : i], y[b.count == 1 ? 0 : i])
          switch opType {
          case "Add": return p &+ q
          case "Sub": return p &- q
          case "Mul": return p &* q
          default:
            guard q != 0 else { throw Failure(problem: "division by zero") }
            return p / q
          }
        }
        return ONNXConstant(ints: values, dims: dims)
      }
      let x = a.reals ?? []
      let y = b.reals ?? []
      let values = (0..<n).map { i -> Float in
        let (p, q) = (x[a.count == 1 ? 0 : i], y[b.count == 1 ? 0 : i])
        switch opType {
        case "Add": return p + q
        case "Sub": return p - q
        case "Mul": return p * q
        default: return p / q
        }
      }
      return ONNXConstant(floats: values, dims: dims)
    default:
      throw Failure(problem: "\(opType) cannot be folded")
    }
  }
}
