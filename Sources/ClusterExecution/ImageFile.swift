import Datasets

/// The bytes of a ``Datasets/DataSplit`` in a job folder: the images as Float32 then the labels
/// as Int32, both little-endian, with no header (the count follows from the size and the
/// manifest's image shape). Exact: a worker sees the very floats the driver had.
public enum ImageFile {
  /// The bytes of `split`.
  public static func encode(_ split: DataSplit) -> [UInt8] {
    var bytes: [UInt8] = []
    bytes.reserveCapacity(split.images.count * 4 + split.labels.count * 4)
    for v in split.images {
      let b = v.bitPattern.littleEndian
      withUnsafeBytes(of: b) { bytes += $0 }
    }
    for l in split.labels {
      let b = l.littleEndian
      withUnsafeBytes(of: b) { bytes += $0 }
    }
    return bytes
  }

  /// The split in `bytes` of images of `shape` (`[C, H, W]`).
  /// - Throws: ``ClusterError/damaged(path:problem:)`` when the size does not fit the shape.
  public static func decode(_ bytes: [UInt8], shape: [Int], path: String) throws(ClusterError)
    -> DataSplit
  {
    guard shape.count == 3, shape.allSatisfy({ $0 > 0 }) else {
      throw .damaged(path: path, problem: "the manifest's image shape \(shape) is not [C, H, W]")
    }
    let size = shape[0] * shape[1] * shape[2]
    let record = (size + 1) * 4
    guard !bytes.isEmpty, bytes.count % record == 0 else {
      throw .damaged(
        path: path, problem: "\(bytes.count) bytes are not whole images of shape \(shape)")
    }
    let count = bytes.count / record
    var images = [Float](repeating: 0, count: count * size)
    var labels = [Int32](repeating: 0, count: count)
    bytes.withUnsafeBytes { raw in
      for i in 0..<(count * size) {
        images[i] = Float(
          bitPattern: UInt32(
            littleEndian: raw.loadUnaligned(fromByteOffset: i * 4, as: UInt32.self)))
      }
      let base = count * size * 4
      for i in 0..<count {
        labels[i] = Int32(
          littleEndian: raw.loadUnaligned(fromByteOffset: base + i * 4, as: Int32.self))
      }
    }
    return DataSplit(
      images: images, labels: labels, channels: shape[0], height: shape[1], width: shape[2])
  }
}
