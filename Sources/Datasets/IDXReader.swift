/// Reads IDX files of unsigned bytes (the MNIST and Fashion-MNIST format), gzip-compressed or
/// plain.
///
/// An IDX file is a 4-byte magic number `00 00 08 d` (type 0x08 = unsigned byte, `d`
/// dimensions), then `d` big-endian 32-bit sizes, then the bytes in row-major order. The reader
/// checks the magic, that the header is complete, and that the data has exactly the size the
/// header promises (short files are `truncated`, long ones `trailingBytes`).
///
/// ```swift
/// let labels = try IDXReader.read(path: "train-labels-idx1-ubyte.gz", dimensions: 1)
/// print(labels.dimensions)  // [60000]
/// ```
enum IDXReader {
  /// The IDX type code for unsigned bytes, the only one these data sets use.
  static let unsignedByteType: UInt8 = 0x08

  /// The contents of an IDX file: its dimensions and its bytes in row-major order.
  public struct Contents: Sendable, Equatable {
    /// The size of each dimension, outermost first (e.g. `[count, height, width]`).
    public internal(set) var dimensions: [Int]
    /// The elements, row-major; `bytes.count` is the product of `dimensions`.
    public internal(set) var bytes: [UInt8]
  }

  /// Reads the IDX file at `path` that must have `dimensions` dimensions (1 for labels, 3 for
  /// images); decompresses it first when it starts with the gzip magic.
  public static func read(path: String, dimensions: Int) throws(DatasetError) -> Contents {
    try parse(Gzip.readMaybeCompressed(path), path: path, dimensions: dimensions)
  }

  /// Parses IDX `contents` (already decompressed); `path` is only used in errors.
  public static func parse(
    _ contents: [UInt8], path: String, dimensions: Int
  ) throws(DatasetError) -> Contents {
    precondition((1...255).contains(dimensions), "an IDX file has 1 to 255 dimensions")
    let expectedMagic = UInt32(unsignedByteType) << 8 | UInt32(dimensions & 0xFF)
    guard contents.count >= 4 else {
      throw .truncated(path: path, expectedBytes: 4 + 4 * dimensions, actualBytes: contents.count)
    }
    let magic = readUInt32(contents, at: 0)
    guard magic == expectedMagic else {
      throw .badMagic(path: path, found: magic, expected: expectedMagic)
    }
    let headerBytes = 4 + 4 * dimensions
    guard contents.count >= headerBytes else {
      throw .truncated(path: path, expectedBytes: headerBytes, actualBytes: contents.count)
    }
    var dims: [Int] = []
    var total = 1
    var overflow = false
    for d in 0..<dimensions {
      let size = Int(readUInt32(contents, at: 4 + 4 * d))
      dims.append(size)
      let (product, didOverflow) = total.multipliedReportingOverflow(by: size)
      total = product
      overflow = overflow || didOverflow
    }
    let (expected, sumOverflow) = headerBytes.addingReportingOverflow(total)
    if overflow || sumOverflow {
      throw .truncated(path: path, expectedBytes: Int.max, actualBytes: contents.count)
    }
    if contents.count < expected {
      throw .truncated(path: path, expectedBytes: expected, actualBytes: contents.count)
    }
    if contents.count > expected {
      throw .trailingBytes(path: path, expectedBytes: expected, actualBytes: contents.count)
    }
    return Contents(dimensions: dims, bytes: Array(contents[headerBytes...]))
  }

  private static func readUInt32(_ bytes: [UInt8], at offset: Int) -> UInt32 {
    UInt32(bytes[offset]) << 24 | UInt32(bytes[offset + 1]) << 16
      | UInt32(bytes[offset + 2]) << 8 | UInt32(bytes[offset + 3])
  }
}
