/// A minimal dense, row-major tensor for the naive reference kernels (NCHW activations, OIHW
/// weights, `[N, features]` matrices).
///
/// Named `RefTensor` so it cannot clash with the engine's `Tensor`. Convert with
/// `RefTensor(shape: t.shape, values: t.scalars)` and `Tensor(shape: r.shape, scalars: r.values)`.
///
/// ```swift
/// var x = RefTensor<Float>.zeros([1, 1, 3, 3])
/// x[0, 0, 1, 2] = 5
/// let d = x.converted(to: Double.self)
/// ```
public struct RefTensor<Scalar: RefScalar>: Equatable, Sendable, CustomStringConvertible {
  /// The extent of each dimension, outermost first.
  public var shape: [Int]
  /// The elements in row-major order; `values.count` is the product of `shape`.
  public var values: [Scalar]

  /// Creates a tensor from its shape and row-major values; the counts must agree.
  public init(shape: [Int], values: [Scalar]) {
    precondition(shape.allSatisfy { $0 >= 0 }, "RefTensor: negative extent in shape \(shape)")
    let expected = shape.reduce(1, *)
    precondition(
      expected == values.count,
      "RefTensor: shape \(shape) needs \(expected) values, got \(values.count)")
    self.shape = shape
    self.values = values
  }

  /// Creates a tensor whose value at flat index `i` is `body(i)`.
  public init(shape: [Int], _ body: (Int) -> Scalar) {
    let count = shape.reduce(1, *)
    self.init(shape: shape, values: (0..<count).map(body))
  }

  /// A tensor of the given shape filled with zeros.
  public static func zeros(_ shape: [Int]) -> RefTensor {
    RefTensor(shape: shape, values: [Scalar](repeating: 0, count: shape.reduce(1, *)))
  }

  /// The number of elements.
  public var count: Int { values.count }

  /// The number of dimensions.
  public var rank: Int { shape.count }

  /// The element at `[n, c, h, w]` of a rank-4 tensor.
  public subscript(n: Int, c: Int, h: Int, w: Int) -> Scalar {
    get { values[offset(n, c, h, w)] }
    set { values[offset(n, c, h, w)] = newValue }
  }

  /// The element at `[i, j]` of a rank-2 tensor.
  public subscript(i: Int, j: Int) -> Scalar {
    get { values[offset(i, j)] }
    set { values[offset(i, j)] = newValue }
  }

  /// The same values in another scalar type (`Float` → `Double` is exact).
  public func converted<Other: RefScalar>(to type: Other.Type) -> RefTensor<Other> {
    RefTensor<Other>(shape: shape, values: values.map { Other($0.refDouble) })
  }

  /// The values widened to `Double`.
  public var doubleValues: [Double] { values.map(\.refDouble) }

  /// The row-major multi-index of flat index `flat`.
  public func multiIndex(of flat: Int) -> [Int] {
    var rest = flat
    var index = [Int](repeating: 0, count: shape.count)
    for d in stride(from: shape.count - 1, through: 0, by: -1) where shape[d] > 0 {
      index[d] = rest % shape[d]
      rest /= shape[d]
    }
    return index
  }

  /// A one-line summary: the shape and up to eight values.
  public var description: String {
    let shown = values.prefix(8).map { "\($0)" }.joined(separator: ", ")
    let more = values.count > 8 ? ", … (\(values.count) values)" : ""
    return "RefTensor\(shape) [\(shown)\(more)]"
  }

  func offset(_ n: Int, _ c: Int, _ h: Int, _ w: Int) -> Int {
    precondition(shape.count == 4, "RefTensor: 4 indices given for shape \(shape)")
    precondition(
      (0..<shape[0]).contains(n) && (0..<shape[1]).contains(c) && (0..<shape[2]).contains(h)
        && (0..<shape[3]).contains(w),
      "RefTensor: index [\(n), \(c), \(h), \(w)] out of range for shape \(shape)")
    return ((n * shape[1] + c) * shape[2] + h) * shape[3] + w
  }

  func offset(_ i: Int, _ j: Int) -> Int {
    precondition(shape.count == 2, "RefTensor: 2 indices given for shape \(shape)")
    precondition(
      (0..<shape[0]).contains(i) && (0..<shape[1]).contains(j),
      "RefTensor: index [\(i), \(j)] out of range for shape \(shape)")
    return i * shape[1] + j
  }
}
