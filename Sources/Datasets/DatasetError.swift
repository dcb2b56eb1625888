/// What went wrong while loading or preparing a data set; every message names the file (or the
/// setting), the value found, what was expected, and what to do about it.
public enum DatasetError: Error, Equatable, Sendable, CustomStringConvertible {
  /// The file (or directory) does not exist.
  case fileNotFound(path: String)
  /// The file exists but could not be read (permissions, a directory, an I/O error).
  case unreadable(path: String, reason: String)
  /// The file does not start with the expected magic number.
  case badMagic(path: String, found: UInt32, expected: UInt32)
  /// The file holds fewer bytes than its header (or format) promises.
  case truncated(path: String, expectedBytes: Int, actualBytes: Int)
  /// The file holds more bytes than its header promises.
  case trailingBytes(path: String, expectedBytes: Int, actualBytes: Int)
  /// A file of fixed-size records (CIFAR) whose size is not a whole number of records.
  case truncatedRecord(path: String, recordBytes: Int, wholeRecords: Int, extraBytes: Int)
  /// The gzip stream is damaged; `message` is zlib's description.
  case corruptGzip(path: String, message: String)
  /// The images file and the labels file disagree on how many examples there are.
  case countMismatch(imagesPath: String, imagesCount: Int, labelsPath: String, labelsCount: Int)
  /// A label is not in `0..<classes`.
  case labelOutOfRange(path: String, index: Int, value: Int, classes: Int)
  /// The images in a file have a different shape (channels, height, width) than expected.
  case shapeMismatch(path: String, found: [Int], expected: [Int])
  /// A setting (batch size, subset size, padding …) is outside the values it may take.
  case invalidArgument(name: String, value: String, expected: String)

  /// A message a user can act on.
  public var description: String {
    switch self {
    case .fileNotFound(let path):
      return "\(path): no such file or directory. Check the path given to the data loader "
        + "(Fashion-MNIST's default, \(Dataset.defaultFashionMNISTDirectory), comes from the "
        + "Debian package dataset-fashion-mnist; MNIST and CIFAR files must be downloaded and "
        + "their folder given)."
    case .unreadable(let path, let reason):
      return "\(path): cannot read the file (\(reason)). Check that it is a readable file."
    case .badMagic(let path, let found, let expected):
      return "\(path): wrong magic number \(hex(found)), expected \(hex(expected)). "
        + "The file is not of the expected kind (for IDX: unsigned bytes with the expected "
        + "number of dimensions; images and labels files may be swapped)."
    case .truncated(let path, let expected, let actual):
      return "\(path): truncated, expected \(expected) bytes of content (after gzip "
        + "decompression, if compressed) but found \(actual). Download the file again."
    case .trailingBytes(let path, let expected, let actual):
      return "\(path): \(actual - expected) unexpected bytes after the data (expected "
        + "\(expected) bytes, found \(actual)). The header does not match the contents; "
        + "download the file again."
    case .truncatedRecord(let path, let record, let whole, let extra):
      return "\(path): size is not a whole number of \(record)-byte records (\(whole) whole "
        + "records and \(extra) bytes of a partial one). The file is truncated or not a "
        + "binary CIFAR batch of this kind; download it again."
    case .corruptGzip(let path, let message):
      return "\(path): corrupt gzip data (\(message)). Download the file again, or give "
        + "the uncompressed file."
    case .countMismatch(let imagesPath, let imagesCount, let labelsPath, let labelsCount):
      return "\(imagesPath) holds \(imagesCount) images but \(labelsPath) holds "
        + "\(labelsCount) labels. The two files must come from the same split and release."
    case .labelOutOfRange(let path, let index, let value, let classes):
      return "\(path): label \(value) of example \(index) is outside 0..<\(classes). "
        + "The file is damaged or belongs to a data set with more classes."
    case .shapeMismatch(let path, let found, let expected):
      return "\(path): images have shape \(shape(found)), expected \(shape(expected)) like "
        + "the other split. The files must come from the same data set."
    case .invalidArgument(let name, let value, let expected):
      return "\(name) = \(value) is not allowed: expected \(expected)."
    }
  }
}

private func hex(_ value: UInt32) -> String {
  let digits = String(value, radix: 16)
  return "0x" + String(repeating: "0", count: max(0, 8 - digits.count)) + digits
}

private func shape(_ dims: [Int]) -> String {
  dims.map(String.init).joined(separator: "×")
}
