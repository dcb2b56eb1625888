import CZlib
import Foundation

/// A fresh temporary directory for one test; remove it with `remove()`.
struct TempDirectory {
  let path: String

  init() throws {
    path =
      FileManager.default.temporaryDirectory
      .appendingPathComponent("shears-datasets-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
  }

  func file(_ name: String) -> String { path + "/" + name }

  func remove() { try? FileManager.default.removeItem(atPath: path) }
}

/// Writes `bytes` to `path` as they are.
func writePlain(_ bytes: [UInt8], to path: String) throws {
  try Data(bytes).write(to: URL(fileURLWithPath: path))
}

/// Writes `bytes` to `path` gzip-compressed with zlib's gzopen/gzwrite.
func writeGzip(_ bytes: [UInt8], to path: String) throws {
  guard let file = gzopen(path, "wb") else { throw FixtureError.cannotWrite(path) }
  let written = bytes.withUnsafeBytes { gzwrite(file, $0.baseAddress, UInt32($0.count)) }
  let closed = gzclose(file)
  guard Int(written) == bytes.count, closed == Z_OK else { throw FixtureError.cannotWrite(path) }
}

/// The gzip-compressed form of `bytes` (written through a temporary file with gzwrite).
func gzipBytes(_ bytes: [UInt8], in directory: TempDirectory) throws -> [UInt8] {
  let path = directory.file("scratch-\(UUID().uuidString).gz")
  try writeGzip(bytes, to: path)
  return try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
}

enum FixtureError: Error { case cannotWrite(String) }

/// An IDX file built by hand: magic 00 00 `type` `dims.count`, big-endian sizes, then `data`.
func idxFile(_ dims: [Int], _ data: [UInt8], type: UInt8 = 0x08) -> [UInt8] {
  var out: [UInt8] = [0, 0, type, UInt8(dims.count)]
  for d in dims {
    out += [UInt8((d >> 24) & 255), UInt8((d >> 16) & 255), UInt8((d >> 8) & 255), UInt8(d & 255)]
  }
  return out + data
}

/// `count` 28×28 images; image k is black except pixel k (255) and the last pixel (51·(k+1)
/// capped at 255), so every image is told apart by its contents.
func markedImages(_ count: Int) -> [UInt8] {
  var pixels = [UInt8](repeating: 0, count: count * 784)
  for k in 0..<count {
    pixels[k * 784 + k] = 255
    pixels[k * 784 + 783] = UInt8(min(255, 51 * (k + 1)))
  }
  return pixels
}

/// Writes the four MNIST-style files into `dir`.
func writeIDXSet(
  in dir: TempDirectory, trainImages: [UInt8], trainCount: Int, trainLabels: [UInt8],
  testImages: [UInt8], testCount: Int, testLabels: [UInt8], gzip: Bool = true,
  dotted: Bool = false, testSide: Int = 28
) throws {
  func name(_ base: String) -> String {
    let spelled = dotted ? base.replacingOccurrences(of: "-idx", with: ".idx") : base
    return dir.file(spelled + (gzip ? ".gz" : ""))
  }
  func write(_ bytes: [UInt8], _ base: String) throws {
    if gzip { try writeGzip(bytes, to: name(base)) } else { try writePlain(bytes, to: name(base)) }
  }
  try write(idxFile([trainCount, 28, 28], trainImages), "train-images-idx3-ubyte")
  try write(idxFile([trainLabels.count], trainLabels), "train-labels-idx1-ubyte")
  try write(idxFile([testCount, testSide, 28], testImages), "t10k-images-idx3-ubyte")
  try write(idxFile([testLabels.count], testLabels), "t10k-labels-idx1-ubyte")
}

/// One CIFAR record: label byte(s), then 3072 pixels where channel c, pixel i holds
/// `(seed + 7·c + i) mod 256`.
func cifarRecord(labels: [UInt8], seed: Int) -> [UInt8] {
  var record = labels
  for c in 0..<3 {
    for i in 0..<1024 { record.append(UInt8((seed + 7 * c + i) % 256)) }
  }
  return record
}
