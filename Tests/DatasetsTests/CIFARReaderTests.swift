import Foundation
import Testing

@testable import Datasets

@Suite struct CIFARReaderTests {
  /// Writes a CIFAR-10 folder: batch b (1…5) holds one record with label b, seed 10·b; the test
  /// batch two records with labels 0 and 9.
  private func writeCIFAR10(in folder: String) throws {
    for b in 1...5 {
      try writePlain(
        cifarRecord(labels: [UInt8(b)], seed: 10 * b), to: folder + "/data_batch_\(b).bin")
    }
    try writePlain(
      cifarRecord(labels: [0], seed: 100) + cifarRecord(labels: [9], seed: 200),
      to: folder + "/test_batch.bin")
  }

  @Test func cifar10RoundTrip() throws {
    let dir = try TempDirectory()
    defer { dir.remove() }
    try writeCIFAR10(in: dir.path)
    let data = try Dataset.cifar10(directory: dir.path)
    #expect(data.name == "cifar10")
    #expect(data.classCount == 10)
    #expect(data.classNames?[0] == "airplane")
    #expect(data.classNames?[9] == "truck")
    #expect(data.imageShape == [3, 32, 32])
    #expect(data.train.labels == [1, 2, 3, 4, 5])
    #expect(data.test.labels == [0, 9])
    #expect(data.defaultAugmentation == Augmentation(cropPadding: 4, flipProbability: 0.5))
    // Train image 1 comes from batch 2 (seed 20): channel c, pixel i = (20 + 7c + i) mod 256.
    let image = Array(data.train.image(1))
    #expect(image[0] == Float(20) / 255)
    #expect(image[1024] == Float(27) / 255)  // green plane starts at 1024
    #expect(image[2048 + 5] == Float(39) / 255)  // blue, pixel 5: 20 + 14 + 5
    #expect(image[235] == 1.0)  // 20 + 235 = 255
    #expect(image[236] == 0.0)  // 256 mod 256
    #expect(Array(data.test.image(1))[0] == Float(200) / 255)
  }

  @Test func cifar10InBatchesSubfolder() throws {
    let dir = try TempDirectory()
    defer { dir.remove() }
    let folder = dir.file("cifar-10-batches-bin")
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    try writeCIFAR10(in: folder)
    let data = try Dataset.cifar10(directory: dir.path)
    #expect(data.train.count == 5)
  }

  @Test func cifar10MissingBatchIsFileNotFound() throws {
    let dir = try TempDirectory()
    defer { dir.remove() }
    try writeCIFAR10(in: dir.path)
    try FileManager.default.removeItem(atPath: dir.file("data_batch_4.bin"))
    #expect(throws: DatasetError.fileNotFound(path: dir.file("data_batch_4.bin"))) {
      try Dataset.cifar10(directory: dir.path)
    }
  }

  @Test func cifar100FineAndCoarseLabels() throws {
    let dir = try TempDirectory()
    defer { dir.remove() }
    // Records carry (coarse, fine) label bytes.
    try writePlain(
      cifarRecord(labels: [19, 99], seed: 1) + cifarRecord(labels: [3, 42], seed: 2),
      to: dir.file("train.bin"))
    try writePlain(cifarRecord(labels: [0, 7], seed: 3), to: dir.file("test.bin"))
    let fine = try Dataset.cifar100(directory: dir.path)
    #expect(fine.name == "cifar100")
    #expect(fine.classCount == 100)
    #expect(fine.classNames == nil)
    #expect(fine.train.labels == [99, 42])
    #expect(fine.test.labels == [7])
    #expect(Array(fine.train.image(1))[0] == Float(2) / 255)
    let coarse = try Dataset.cifar100(directory: dir.path, labels: .coarse)
    #expect(coarse.name == "cifar100-coarse")
    #expect(coarse.classCount == 20)
    #expect(coarse.train.labels == [19, 3])
    #expect(coarse.test.labels == [0])
  }

  @Test func cifar100NamesFromLabelFile() throws {
    let dir = try TempDirectory()
    defer { dir.remove() }
    try writePlain(cifarRecord(labels: [1, 1], seed: 1), to: dir.file("train.bin"))
    try writePlain(cifarRecord(labels: [2, 2], seed: 2), to: dir.file("test.bin"))
    let names = (0..<20).map { "super\($0)" }.joined(separator: "\n") + "\n\n"
    try writePlain(Array(names.utf8), to: dir.file("coarse_label_names.txt"))
    let coarse = try Dataset.cifar100(directory: dir.path, labels: .coarse)
    #expect(coarse.classNames?.count == 20)
    #expect(coarse.classNames?[19] == "super19")
  }

  @Test func fileOfBadSizeIsTruncatedRecord() throws {
    let dir = try TempDirectory()
    defer { dir.remove() }
    let path = dir.file("test_batch.bin")
    let bytes = cifarRecord(labels: [1], seed: 0) + cifarRecord(labels: [2], seed: 0)
    try writePlain(bytes + Array(bytes[0..<5]), to: path)
    let error = #expect(throws: DatasetError.self) {
      try CIFARReader.read(path: path, format: .cifar10)
    }
    #expect(
      error == .truncatedRecord(path: path, recordBytes: 3073, wholeRecords: 2, extraBytes: 5))
    #expect(error?.description.contains(path) == true)
    #expect(error?.description.contains("2 whole records") == true)
  }

  @Test func cifar100FileReadAsCIFAR10IsTruncatedRecord() throws {
    let dir = try TempDirectory()
    defer { dir.remove() }
    let path = dir.file("train.bin")
    try writePlain(cifarRecord(labels: [1, 1], seed: 0), to: path)  // 3074 bytes
    let error = #expect(throws: DatasetError.self) {
      try CIFARReader.read(path: path, format: .cifar10)
    }
    #expect(
      error == .truncatedRecord(path: path, recordBytes: 3073, wholeRecords: 1, extraBytes: 1))
  }

  @Test func labelOutOfRangeNamesRecord() throws {
    let dir = try TempDirectory()
    defer { dir.remove() }
    let path = dir.file("data_batch_1.bin")
    try writePlain(
      cifarRecord(labels: [3], seed: 0) + cifarRecord(labels: [10], seed: 0), to: path)
    let error = #expect(throws: DatasetError.self) {
      try CIFARReader.read(path: path, format: .cifar10)
    }
    #expect(error == .labelOutOfRange(path: path, index: 1, value: 10, classes: 10))
    let coarsePath = dir.file("train.bin")
    try writePlain(cifarRecord(labels: [20, 5], seed: 0), to: coarsePath)
    #expect(
      throws: DatasetError.labelOutOfRange(path: coarsePath, index: 0, value: 20, classes: 20)
    ) {
      try CIFARReader.read(path: coarsePath, format: .cifar100(labels: .coarse))
    }
  }
}
