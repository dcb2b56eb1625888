import Foundation

/// A constant tensor of an ONNX graph (an initializer or a `Constant` node's value), decoded to
/// floats or integers.
struct ONNXConstant: Sendable {
  /// The tensor's shape.
  var dims: [Int]
  /// Values of a float tensor.
  var floats: [Float]?
  /// Values of an integer tensor.
  var ints: [Int64]?

  var count: Int { dims.reduce(1, *) }

  /// Decodes a `TensorProto`; `fail` makes the error for a problem.
  init(_ t: Onnx_TensorProto, fail: (String) -> ONNXError) throws {
    dims = t.dims.map { Int($0) }
    guard dims.allSatisfy({ $0 >= 0 }) else {
      throw fail("tensor '\(t.name)' has a negative dimension in \(t.dims)")
    }
    if t.dataLocation == .external {
      throw fail(
        "tensor '\(t.name)' keeps its data in an external file; export with the weights inside "
          + "the model (models under 2 GB)")
    }
    let count = dims.reduce(1, *)
    typealias DataType = Onnx_TensorProto.DataType
    switch DataType(rawValue: Int(t.dataType)) {
    case .float:
      if !t.rawData.isEmpty {
        guard t.rawData.count == count * 4 else {
          throw fail(
            "tensor '\(t.name)' has \(t.rawData.count) bytes of data, its shape \(dims) needs "
              + "\(count * 4)")
        }
        floats = Self.littleEndian(t.rawData, count: count, width: 4).map {
          Float(bitPattern: UInt32(truncatingIfNeeded: $0))
        }
      } else {
        guard t.floatData.count == count else {
          throw fail("tensor '\(t.name)' has \(t.floatData.count) values, its shape needs \(count)")
        }
        floats = t.floatData
      }
    case .double:
      if !t.rawData.isEmpty {
        guard t.rawData.count == count * 8 else {
          throw fail(
            "tensor '\(t.name)' has \(t.rawData.count) bytes, its shape needs \(count * 8)")
        }
        floats = Self.littleEndian(t.rawData, count: count, width: 8).map {
          Float(Double(bitPattern: $0))
        }
      } else {
        guard t.doubleData.count == count else {
          throw fail(
            "tensor '\(t.name)' has \(t.doubleData.count) values, its shape needs \(count)")
        }
        floats = t.doubleData.map { Float($0) }
      }
    case .int64:
      if !t.rawData.isEmpty {
        guard t.rawData.count == count * 8 else {
          throw fail(
            "tensor '\(t.name)' has \(t.rawData.count) bytes, its shape needs \(count * 8)")
        }
        ints = Self.littleEndian(t.rawData, count: count, width: 8).map {
          Int64(bitPattern: $0)
        }
      } else {
        guard t.int64Data.count == count else {
          throw fail("tensor '\(t.name)' has \(t.int64Data.count) values, its shape needs \(count)")
        }
        ints = t.int64Data
      }
    case .int32:
      if !t.rawData.isEmpty {
        guard t.rawData.count == count * 4 else {
          throw fail(
            "tensor '\(t.name)' has \(t.rawData.count) bytes, its shape needs \(count * 4)")
        }
        ints = Self.littleEndian(t.rawData, count: count, width: 4).map {
          Int64(Int32(bitPattern: UInt32(truncatingIfNeeded: $0)))
        }
      } else {
        guard t.int32Data.count == count else {
          throw fail("tensor '\(t.name)' has \(t.int32Data.count) values, its shape needs \(count)")
        }
        ints = t.int32Data.map { Int64($0) }
      }
    default:
      throw fail(
        "tensor '\(t.name)' has data type \(t.dataType); Shears reads float, double, int32 and "
          + "int64 tensors")
    }
  }

  /// A constant made of integers.
  init(ints: [Int64], dims: [Int]? = nil) {
    self.dims = dims ?? [ints.count]
    self.ints = ints
  }

  /// A constant made of floats.
  init(floats: [Float], dims: [Int]) {
    self.dims = dims
    self.floats = floats
  }

  /// The values as integers (floats truncated), if any.
  var integers: [Int64]? { ints ?? floats.map { $0.map { Int64($0) } } }

  /// The values as floats.
  var reals: [Float]? { floats ?? ints.map { $0.map { Float($0) } } }

  /// Unsigned little-endian words of `width` bytes.
  static func littleEndian(_ data: Data, count: Int, width: Int) -> [UInt64] {
    var out = [UInt64](repeating: 0, count: count)
    data.withUnsafeBytes { raw in
      let bytes = raw.bindMemory(to: UInt8.self)
      for i in 0..<count {
        var v: UInt64 = 0
        for b in 0..<width { v |= UInt64(bytes[i * width + b]) << (8 * b) }
        out[i] = v
      }
    }
    return out
  }
}
