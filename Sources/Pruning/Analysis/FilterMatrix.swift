import Statistics

/// A dense row-major matrix of `Double`: `rows` filters of `cols` weights each.
///
/// The statistics and weight criteria of a conv layer view its weight tensor
/// `N × C × K × K` as `N` filters flattened to `k = C·K²` weights (ALGORITHMS.md §0). Float32
/// weights are widened to `Double` on construction so that every sum accumulates in double
/// precision.
///
/// ```swift
/// let f = try FilterMatrix(rows: 2, cols: 3, values: [1, 2, 3, 4, 5, 6] as [Float])
/// f[1, 2]  // 6.0
/// ```
public struct FilterMatrix: Sendable, Equatable, Codable {
  /// Number of rows (filters, `N`).
  public let rows: Int
  /// Number of columns (weights per filter, `k`).
  public let cols: Int
  /// Row-major storage: element `(i, j)` is `storage[i * cols + j]`.
  public let storage: [Double]

  /// Creates a matrix from row-major `Double` storage of exactly `rows · cols` values.
  public init(rows: Int, cols: Int, storage: [Double]) throws(StatisticsError) {
    guard rows >= 0, cols >= 0, storage.count == rows * cols else {
      throw .shapeMismatch(rows: rows, cols: cols, storageCount: storage.count)
    }
    self.rows = rows
    self.cols = cols
    self.storage = storage
  }

  /// Creates a matrix from row-major `Float` values (e.g. a conv weight tensor's plain NCHW
  /// buffer), widening each to `Double`.
  public init(rows: Int, cols: Int, values: [Float]) throws(StatisticsError) {
    try self.init(rows: rows, cols: cols, storage: values.map { Double($0) })
  }

  /// Creates a matrix from a list of rows, which must all have the same length.
  public init(rowArrays: [[Double]]) throws(StatisticsError) {
    let cols = rowArrays.first?.count ?? 0
    for row in rowArrays where row.count != cols {
      throw .shapeMismatch(
        rows: rowArrays.count, cols: cols, storageCount: rowArrays.reduce(0) { $0 + $1.count })
    }
    try self.init(rows: rowArrays.count, cols: cols, storage: rowArrays.flatMap { $0 })
  }

  /// The element in row `i`, column `j`.
  public subscript(i: Int, j: Int) -> Double { storage[i * cols + j] }

  /// Row `i` (filter `i`) as an array.
  public func row(_ i: Int) -> [Double] { Array(storage[(i * cols)..<((i + 1) * cols)]) }

  /// Column `j` (coordinate `j` across all filters) as an array.
  public func column(_ j: Int) -> [Double] { (0..<rows).map { storage[$0 * cols + j] } }
}
