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

  /// The number of values its shape holds (-1 for a shape no tensor can have, which then
  /// matches no data).
  var count: Int { dims.elementCount ?? -1 }

  /// Decodes a `TensorProto`; `fail` makes the error for a problem. Data kept in an external
  /// file (as PyTorch's newer exporter writes it) is read from `directory`, the model file's
  /// folder; nil refuses it.
  init(_ proto: Onnx_TensorProto, directory: String? = nil, fail: (String) -> ONNXError) throws {
    var t = proto
    dims = t.dims.map { Int($0) }
    guard dims.allSatisfy({ $0 >= 0 }) else {
      throw fail("tensor '\(t.name)' has a negative dimension in \(t.dims)")
    }
    if t.dataLocation == .external {
      t.rawData = try Self.externalData(t, directory: directory, fail: fail)
    }
    // At most 2^40 values: a count that cannot overflow when multiplied by a value's width.
    guard let count = dims.elementCount, count <= 1 << 40 else {
      throw fail("tensor '\(t.name)' has the shape \(t.dims), more values than any file holds")
    }
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

  /// The bytes of a tensor whose data lives in a file beside the model (`location`, `offset`,
  /// `length` entries); the location must stay inside the model's folder.
  static func externalData(
    _ t: Onnx_TensorProto, directory: String?, fail: (String) -> ONNXError
  ) throws -> Data {
    guard let directory else {
      throw fail(
        "tensor '\(t.name)' keeps its data in an external file; load the model from its file "
          + "(with the data file beside it)")
    }
    var entries: [String: String] = [:]
    for e in t.externalData { entries[e.key] = e.value }
    guard let location = entries["location"], !location.isEmpty, !location.hasPrefix("/"),
      !location.split(separator: "/").contains("..")
    else {
      throw fail("tensor '\(t.name)' names no usable external data file")
    }
    let offset = UInt64(entries["offset"] ?? "0") ?? 0
    let file = directory + "/" + location
    guard let handle = FileHandle(forReadingAtPath: file) else {
      throw fail("tensor '\(t.name)': its data file '\(location)' is missing beside the model")
    }
    defer { try? handle.close() }
    do {
      try handle.seek(toOffset: offset)
      let data: Data
      if let text = entries["length"], let length = Int(text) {
        data = try handle.read(upToCount: length) ?? Data()
        guard data.count == length else {
          throw fail(
            "tensor '\(t.name)': its data file '\(location)' is truncated (\(data.count) of "
              + "\(length) bytes at offset \(offset))")
        }
      } else {
        data = try handle.readToEnd() ?? Data()
      }
      return data
    } catch let error as ONNXError {
      throw error
    } catch {
      throw fail("tensor '\(t.name)': reading '\(location)' failed (\(error))")
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
