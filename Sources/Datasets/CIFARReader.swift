/// Reads the binary versions of CIFAR-10 and CIFAR-100.
///
/// A CIFAR-10 file (`data_batch_1.bin` … `data_batch_5.bin`, `test_batch.bin`) is a sequence of
/// 3073-byte records: one label byte, then 3072 pixel bytes (1024 red, 1024 green, 1024 blue,
/// each a 32×32 image row by row, which is already CHW). A CIFAR-100 file (`train.bin`,
/// `test.bin`) has 3074-byte records: a coarse label byte, a fine label byte, then the pixels.
///
/// ```swift
/// let records = try CIFARReader.read(path: "cifar-10-batches-bin/test_batch.bin", format: .cifar10)
/// print(records.count)  // 10000
/// ```
enum CIFARReader {
  /// Channels, height and width of every CIFAR image.
  public static let imageShape = [3, 32, 32]
  /// Pixel bytes per image (3 × 32 × 32).
  static let pixelBytes = 3072

  /// Which binary layout a file has, and for CIFAR-100 which label to keep.
  public enum Format: Sendable, Equatable, Hashable {
    /// One label byte per record, 10 classes.
    case cifar10
    /// Coarse and fine label bytes per record; `labels` picks the one kept.
    case cifar100(labels: CIFAR100Labels)

    /// Bytes per record: label bytes plus 3072 pixel bytes.
    var recordBytes: Int {
      switch self {
      case .cifar10: return 1 + CIFARReader.pixelBytes
      case .cifar100: return 2 + CIFARReader.pixelBytes
      }
    }

    /// The number of classes of the kept label (10, 100 fine, or 20 coarse).
    public var classCount: Int {
      switch self {
      case .cifar10: return 10
      case .cifar100(.fine): return 100
      case .cifar100(.coarse): return 20
      }
    }

    /// Offset of the kept label byte inside a record.
    var labelOffset: Int {
      switch self {
      case .cifar10: return 0
      case .cifar100(.coarse): return 0
      case .cifar100(.fine): return 1
      }
    }
  }

  /// The records of one or more CIFAR files: labels and raw pixel bytes (CHW per image).
  public struct Records: Sendable, Equatable {
    /// One label per image, checked against the format's class count.
    public internal(set) var labels: [Int32] = []
    /// `count × 3072` pixel bytes, image after image.
    public internal(set) var pixels: [UInt8] = []

    /// The number of images.
    public var count: Int { labels.count }

    /// Creates an empty set of records.
    public init() {}
  }

  /// Reads the CIFAR file at `path` in `format`.
  public static func read(path: String, format: Format) throws(DatasetError) -> Records {
    var records = Records()
    try append(path: path, format: format, to: &records)
    return records
  }

  /// Reads the CIFAR file at `path` and appends its records to `records` (to join the five
  /// CIFAR-10 training batches without converting twice).
  public static func append(
    path: String, format: Format, to records: inout Records
  ) throws(DatasetError) {
    let contents = try Gzip.readMaybeCompressed(path)
    let recordBytes = format.recordBytes
    let whole = contents.count / recordBytes
    let extra = contents.count % recordBytes
    guard extra == 0, whole > 0 else {
      throw .truncatedRecord(
        path: path, recordBytes: recordBytes, wholeRecords: whole, extraBytes: extra)
    }
    let classes = format.classCount
    let labelBytes = recordBytes - pixelBytes
    records.labels.reserveCapacity(records.labels.count + whole)
    records.pixels.reserveCapacity(records.pixels.count + whole * pixelBytes)
    for i in 0..<whole {
      let start = i * recordBytes
      let label = Int(contents[start + format.labelOffset])
      guard label < classes else {
        throw .labelOutOfRange(path: path, index: i, value: label, classes: classes)
      }
      records.labels.append(Int32(label))
      records.pixels.append(contentsOf: contents[(start + labelBytes)..<(start + recordBytes)])
    }
  }
}
