import Testing

@testable import Datasets

@Suite struct IDXReaderTests {
  @Test func plainFileRoundTrip() throws {
    let dir = try TempDirectory()
    defer { dir.remove() }
    let path = dir.file("images")
    try writePlain(idxFile([2, 2, 3], Array(0..<12)), to: path)
    let contents = try IDXReader.read(path: path, dimensions: 3)
    #expect(contents.dimensions == [2, 2, 3])
    #expect(contents.bytes == Array(0..<12))
  }

  @Test func gzipFileRoundTrip() throws {
    let dir = try TempDirectory()
    defer { dir.remove() }
    let path = dir.file("labels.gz")
    let labels: [UInt8] = [9, 0, 0, 3, 0, 2, 7, 2, 5, 5]
    try writeGzip(idxFile([10], labels), to: path)
    let contents = try IDXReader.read(path: path, dimensions: 1)
    #expect(contents.dimensions == [10])
    #expect(contents.bytes == labels)
  }

  @Test func concatenatedGzipMembersAreJoined() throws {
    let dir = try TempDirectory()
    defer { dir.remove() }
    let whole = idxFile([6], [1, 2, 3, 4, 5, 6])
    let joined =
      try gzipBytes(Array(whole[0..<5]), in: dir) + gzipBytes(Array(whole[5...]), in: dir)
    let path = dir.file("joined.gz")
    try writePlain(joined, to: path)
    #expect(try IDXReader.read(path: path, dimensions: 1).bytes == [1, 2, 3, 4, 5, 6])
  }

  @Test func labelsFileReadAsImagesIsBadMagic() throws {
    let dir = try TempDirectory()
    defer { dir.remove() }
    let path = dir.file("labels")
    try writePlain(idxFile([3], [1, 2, 3]), to: path)
    let error = #expect(throws: DatasetError.self) {
      try IDXReader.read(path: path, dimensions: 3)
    }
    #expect(error == .badMagic(path: path, found: 0x0000_0801, expected: 0x0000_0803))
    #expect(error?.description.contains(path) == true)
    #expect(error?.description.contains("0x00000801") == true)
  }

  @Test func wrongTypeByteIsBadMagic() throws {
    let dir = try TempDirectory()
    defer { dir.remove() }
    let path = dir.file("floats")
    try writePlain(idxFile([1], [0, 0, 0, 0], type: 0x0D), to: path)
    let error = #expect(throws: DatasetError.self) {
      try IDXReader.read(path: path, dimensions: 1)
    }
    #expect(error == .badMagic(path: path, found: 0x0000_0D01, expected: 0x0000_0801))
  }

  @Test func shortDataIsTruncated() throws {
    let dir = try TempDirectory()
    defer { dir.remove() }
    let path = dir.file("images.gz")
    // Header promises 2·2·3 = 12 bytes after a 16-byte header; only 10 follow.
    try writeGzip(idxFile([2, 2, 3], Array(0..<10)), to: path)
    let error = #expect(throws: DatasetError.self) {
      try IDXReader.read(path: path, dimensions: 3)
    }
    #expect(error == .truncated(path: path, expectedBytes: 28, actualBytes: 26))
    #expect(error?.description.contains(path) == true)
  }

  @Test func shortHeaderIsTruncated() throws {
    let dir = try TempDirectory()
    defer { dir.remove() }
    let path = dir.file("images")
    try writePlain([0, 0, 8, 3, 0, 0], to: path)
    let error = #expect(throws: DatasetError.self) {
      try IDXReader.read(path: path, dimensions: 3)
    }
    #expect(error == .truncated(path: path, expectedBytes: 16, actualBytes: 6))
  }

  @Test func extraDataIsTrailingBytes() throws {
    let dir = try TempDirectory()
    defer { dir.remove() }
    let path = dir.file("labels")
    try writePlain(idxFile([4], [1, 2, 3, 4, 5, 6, 7]), to: path)
    let error = #expect(throws: DatasetError.self) {
      try IDXReader.read(path: path, dimensions: 1)
    }
    #expect(error == .trailingBytes(path: path, expectedBytes: 12, actualBytes: 15))
    #expect(error?.description.contains("3 unexpected bytes") == true)
  }

  @Test func damagedDeflateDataIsCorruptGzip() throws {
    let dir = try TempDirectory()
    defer { dir.remove() }
    var bytes = try gzipBytes(idxFile([4], [1, 2, 3, 4]), in: dir)
    // Byte 10 starts the deflate data; 0xFF sets block type 3, which is invalid.
    bytes[10] = 0xFF
    let path = dir.file("labels.gz")
    try writePlain(bytes, to: path)
    let error = #expect(throws: DatasetError.self) {
      try IDXReader.read(path: path, dimensions: 1)
    }
    guard case .corruptGzip(let errorPath, let message) = error else {
      Issue.record("expected corruptGzip, got \(String(describing: error))")
      return
    }
    #expect(errorPath == path)
    #expect(message == "invalid block type")
    #expect(error?.description.contains(path) == true)
  }

  @Test func cutGzipStreamIsCorruptGzip() throws {
    let dir = try TempDirectory()
    defer { dir.remove() }
    let bytes = try gzipBytes(idxFile([64], Array(repeating: 7, count: 64)), in: dir)
    let path = dir.file("labels.gz")
    try writePlain(Array(bytes.dropLast(6)), to: path)
    let error = #expect(throws: DatasetError.self) {
      try IDXReader.read(path: path, dimensions: 1)
    }
    guard case .corruptGzip(path, let message) = error else {
      Issue.record("expected corruptGzip naming the file, got \(String(describing: error))")
      return
    }
    #expect(message.contains("cut short"))
  }

  @Test func garbageAfterGzipStreamIsCorruptGzip() throws {
    let dir = try TempDirectory()
    defer { dir.remove() }
    let bytes = try gzipBytes(idxFile([2], [1, 2]), in: dir) + [0x42, 0x42, 0x42]
    let path = dir.file("labels.gz")
    try writePlain(bytes, to: path)
    let error = #expect(throws: DatasetError.self) {
      try IDXReader.read(path: path, dimensions: 1)
    }
    guard case .corruptGzip(path, let message) = error else {
      Issue.record("expected corruptGzip naming the file, got \(String(describing: error))")
      return
    }
    #expect(message.contains("3 bytes of trailing data"))
  }

  @Test func missingFileIsFileNotFound() throws {
    let dir = try TempDirectory()
    defer { dir.remove() }
    let path = dir.file("absent.gz")
    let error = #expect(throws: DatasetError.self) {
      try IDXReader.read(path: path, dimensions: 1)
    }
    #expect(error == .fileNotFound(path: path))
  }

  @Test func directoryIsUnreadable() throws {
    let dir = try TempDirectory()
    defer { dir.remove() }
    let error = #expect(throws: DatasetError.self) {
      try IDXReader.read(path: dir.path, dimensions: 1)
    }
    #expect(error == .unreadable(path: dir.path, reason: "it is a directory"))
  }

  @Test func emptyGzipInputIsCorruptGzip() {
    #expect(throws: DatasetError.corruptGzip(path: "empty.gz", message: "the file is empty")) {
      try Gzip.inflate([], path: "empty.gz")
    }
  }
}
