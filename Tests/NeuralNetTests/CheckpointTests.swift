import Foundation
import NeuralNet
import TensorCore
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// Checkpoint format, round trips, corruption handling and atomic saves.
///
/// Byte-level expectations (CRC-32, little-endian layout) come from the reference helpers below,
/// written independently of `Checkpoint` (a bitwise CRC-32, hand-assembled files), never from
/// the code under test.
@Suite struct CheckpointTests {
  // MARK: - Independent references

  /// Bitwise CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320, init and final XOR
  /// 0xFFFFFFFF), the checksum of zlib, gzip and PNG.
  static func referenceCRC32<C: Collection<UInt8>>(_ bytes: C) -> UInt32 {
    var crc: UInt32 = 0xFFFF_FFFF
    for byte in bytes {
      crc ^= UInt32(byte)
      for _ in 0..<8 { crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
    }
    return ~crc
  }

  static func littleEndian<T: FixedWidthInteger>(_ value: T) -> [UInt8] {
    (0..<(T.bitWidth / 8)).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) }
  }

  static func readUInt64(_ bytes: [UInt8], at offset: Int) -> UInt64 {
    (0..<8).reduce(0) { $0 | UInt64(bytes[offset + $1]) << (8 * $1) }
  }

  /// Header length of a checkpoint blob, read from bytes 12..<20.
  static func headerLength(_ blob: [UInt8]) -> Int { Int(readUInt64(blob, at: 12)) }

  /// A checkpoint put together by hand: magic, version, header length, header, data, CRC-32.
  static func assemble(header: [UInt8], data: ArraySlice<UInt8>, version: UInt32 = 1) -> [UInt8] {
    var out = Array("SHEARSCK".utf8) + littleEndian(version) + littleEndian(UInt64(header.count))
    out += header
    out += data
    out += littleEndian(referenceCRC32(out))
    return out
  }

  /// `blob` with its JSON header edited (and length and checksum recomputed).
  static func editingHeader(_ blob: [UInt8], _ edit: (inout [String: Any]) throws -> Void) throws
    -> [UInt8]
  {
    let h = headerLength(blob)
    let object = try JSONSerialization.jsonObject(with: Data(blob[20..<20 + h]))
    var header = try #require(object as? [String: Any])
    try edit(&header)
    let json = try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys])
    return assemble(header: Array(json), data: blob[(20 + h)..<(blob.count - 4)])
  }

  /// `blob` with the tensor index entry for `path` edited.
  static func editingEntry(_ blob: [UInt8], _ path: String, _ edit: (inout [String: Any]) -> Void)
    throws -> [UInt8]
  {
    try editingHeader(blob) { header in
      var tensors = try #require(header["tensors"] as? [[String: Any]])
      let i = try #require(tensors.firstIndex { $0["path"] as? String == path })
      edit(&tensors[i])
      header["tensors"] = tensors
    }
  }

  /// The problem text of the checkpoint error `body` throws, or a note if it throws none.
  static func problem(_ body: () throws -> Void) -> String {
    do {
      try body()
      return "(no error)"
    } catch NeuralNetError.checkpoint(_, let problem) {
      return problem
    } catch {
      return "(unexpected error \(error))"
    }
  }

  static func decodeProblem(_ bytes: [UInt8]) -> String {
    problem { _ = try Checkpoint.decode(bytes, path: "test.ck") }
  }

  // MARK: - Fixtures

  static let small = ModelOptions(
    inputChannels: 3, inputSize: 8, classes: 10, widthMultiplier: 0.25)

  /// A zoo model with every parameter and buffer replaced by seeded draws, plus special values
  /// (signed zero, NaN with a payload, infinities, subnormal) that only a bit-exact format keeps.
  static func model(_ name: String, seed: UInt64 = 7) throws -> Network {
    var rng = SeededRNG(seed: seed)
    var net = try ModelZoo.make(name, options: small, rng: &rng)
    let specials: [Float] = [
      -0.0, Float(bitPattern: 0x7FC1_2345), .infinity, -.infinity, .leastNonzeroMagnitude,
      .greatestFiniteMagnitude,
    ]
    for (i, path) in net.parameterPaths.enumerated() {
      let shape = net.parameters[path]!.shape
      var values = (0..<shape.reduce(1, *)).map { _ in rng.nextFloat() * 2 - 1 }
      if i == 0 { values.replaceSubrange(0..<specials.count, with: specials) }
      net.parameters[path] = Tensor(shape: shape, scalars: values)
    }
    for path in net.bufferPaths {
      let shape = net.buffers[path]!.shape
      net.buffers[path] = Tensor(
        shape: shape, scalars: (0..<shape.reduce(1, *)).map { _ in rng.nextFloat() + 0.5 })
    }
    return net
  }

  static let metadata = [
    "epoch": "30", "note": "größe ✓ \"quoted\"\nsecond line", "": "empty key", "path": "a/b",
  ]

  /// A fresh empty directory; removed by `cleanUp`.
  static func temporaryDirectory() throws -> String {
    let path = NSTemporaryDirectory() + "shears-checkpoint-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
    return path
  }

  static func cleanUp(_ directory: String) {
    chmod(directory, 0o755)
    try? FileManager.default.removeItem(atPath: directory)
  }

  static func listing(_ directory: String) throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
  }

  static func fileBytes(_ path: String) throws -> [UInt8] {
    Array(try Data(contentsOf: URL(fileURLWithPath: path)))
  }

  static func expectIdentical(_ a: Network, _ b: Network) {
    #expect(a.name == b.name)
    #expect(a.inputShape == b.inputShape)
    #expect(a.classes == b.classes)
    #expect(a.nodes == b.nodes)
    #expect(Set(a.parameters.keys) == Set(b.parameters.keys))
    #expect(Set(a.buffers.keys) == Set(b.buffers.keys))
    for (path, t) in a.parameters {
      #expect(t.shape == b.parameters[path]?.shape, "\(path)")
      #expect(
        t.scalars.map(\.bitPattern) == b.parameters[path]?.scalars.map(\.bitPattern), "\(path)")
    }
    for (path, t) in a.buffers {
      #expect(t.shape == b.buffers[path]?.shape, "\(path)")
      #expect(t.scalars.map(\.bitPattern) == b.buffers[path]?.scalars.map(\.bitPattern), "\(path)")
    }
  }

  // MARK: - Format

  @Test func referenceCRCMatchesTheStandardCheckValue() {
    // The catalogued check value of CRC-32/ISO-HDLC for the ASCII string "123456789".
    #expect(Self.referenceCRC32(Array("123456789".utf8)) == 0xCBF4_3926)
  }

  @Test func layoutIsAsDocumented() throws {
    var rng = SeededRNG(seed: 3)
    let net = try ModelZoo.make(
      "vgg-small", options: .init(inputChannels: 1, inputSize: 8, widthMultiplier: 0.25), rng: &rng)
    let blob = try Checkpoint.encode(net, metadata: ["k": "v"])
    #expect(Array(blob[0..<8]) == Array("SHEARSCK".utf8))
    #expect(Array(blob[8..<12]) == [1, 0, 0, 0])
    let h = Self.headerLength(blob)
    let object = try JSONSerialization.jsonObject(with: Data(blob[20..<20 + h]))
    let header = try #require(object as? [String: Any])
    #expect(header["name"] as? String == "vgg-small")
    #expect(header["inputShape"] as? [Int] == [1, 8, 8])
    #expect(header["classes"] as? Int == 10)
    #expect(header["metadata"] as? [String: String] == ["k": "v"])
    #expect((header["nodes"] as? [Any])?.count == net.nodes.count)
    let tensors = try #require(header["tensors"] as? [[String: Any]])
    // 6 conv blocks × (conv weight + bn γ, β, mean, var) + classifier weight and bias.
    #expect(tensors.count == 32)
    #expect(
      tensors.prefix(5).map { $0["path"] as? String } == [
        "features.0.conv.weight", "features.0.bn.weight", "features.0.bn.bias",
        "features.0.bn.running_mean", "features.0.bn.running_var",
      ])
    #expect(
      tensors.prefix(5).map { $0["kind"] as? String } == [
        "parameter", "parameter", "parameter", "buffer", "buffer",
      ])
    // features.0.conv: 8 filters (32 × 0.25) of 1×3×3 → 72 floats, 288 bytes at offset 0.
    #expect(tensors[0]["shape"] as? [Int] == [8, 1, 3, 3])
    #expect(tensors[0]["offset"] as? Int == 0)
    #expect(tensors[0]["byteCount"] as? Int == 288)
    #expect(tensors[1]["offset"] as? Int == 288)
    let first = net.parameters["features.0.conv.weight"]!.scalars
    let expectedBytes = first.flatMap { Self.littleEndian($0.bitPattern) }
    #expect(Array(blob[(20 + h)..<(20 + h + 288)]) == expectedBytes)
    // The last tensor (classifier bias, 10 floats) ends right before the checksum.
    let last = net.parameters["classifier.bias"]!.scalars
    #expect(
      Array(blob[(blob.count - 44)..<(blob.count - 4)])
        == last.flatMap { Self.littleEndian($0.bitPattern) })
    let dataBytes = tensors.reduce(0) { $0 + ($1["byteCount"] as? Int ?? 0) }
    #expect(blob.count == 20 + h + dataBytes + 4)
    #expect(
      Array(blob.suffix(4)) == Self.littleEndian(Self.referenceCRC32(blob.dropLast(4))))
    // The header's keys are sorted, so equal networks give equal bytes.
    let text = try #require(String(bytes: blob[20..<20 + h], encoding: .utf8))
    let keyOrder = ["\"classes\"", "\"inputShape\"", "\"metadata\"", "\"name\"", "\"nodes\""]
      .compactMap { text.range(of: $0)?.lowerBound }
    #expect(keyOrder.count == 5 && keyOrder == keyOrder.sorted())
  }

  // MARK: - Round trips

  @Test(arguments: ["resnet20", "vgg-small"])
  func roundTripThroughAFileIsBitExact(name: String) throws {
    let net = try Self.model(name)
    let directory = try Self.temporaryDirectory()
    defer { Self.cleanUp(directory) }
    let path = directory + "/model.ck"
    try Checkpoint.save(net, to: path, metadata: Self.metadata)
    #expect(try Self.listing(directory) == ["model.ck"])
    let (loaded, metadata) = try Checkpoint.load(from: path)
    Self.expectIdentical(net, loaded)
    #expect(metadata == Self.metadata)
    // Re-encoding what was loaded reproduces the file byte for byte.
    #expect(try Checkpoint.encode(loaded, metadata: metadata) == Self.fileBytes(path))
  }

  @Test func roundTripKeepsACustomShortcutChannelMap() throws {
    var net = try Self.model("resnet20")
    var nodes = net.nodes
    let i = try #require(nodes.firstIndex { $0.name == "layer2.0.shortcut" })
    // Width 0.25: stage 1 has 4 channels, stage 2 has 8; a map surgery could leave behind.
    let spec = ShortcutPadSpec(inChannels: 4, outChannels: 8, stride: 2, channelMap: [7, -1, 0, 3])
    nodes[i] = Node(name: nodes[i].name, operation: .shortcutPad(spec), inputs: nodes[i].inputs)
    try net.replaceGraph(nodes: nodes, parameters: net.parameters, buffers: net.buffers)
    let (loaded, metadata) = try Checkpoint.decode(Checkpoint.encode(net))
    #expect(loaded.node(named: "layer2.0.shortcut")?.operation == .shortcutPad(spec))
    #expect(metadata.isEmpty)
    Self.expectIdentical(net, loaded)
  }

  @Test func anUneditedHandAssembledFileLoads() throws {
    // Control for the corruption tests below: re-serialising the header and recomputing the
    // checksum with the reference CRC gives a file that loads.
    let net = try Self.model("resnet20")
    let blob = try Self.editingHeader(Checkpoint.encode(net, metadata: ["a": "b"])) { _ in }
    let (loaded, metadata) = try Checkpoint.decode(blob)
    Self.expectIdentical(net, loaded)
    #expect(metadata == ["a": "b"])
  }

  // MARK: - Corruption

  @Test func aFlippedByteIsACorruptFile() throws {
    let blob = try Checkpoint.encode(Self.model("vgg-small"))
    let dataStart = 20 + Self.headerLength(blob)
    let positions = [
      dataStart, (dataStart + blob.count) / 2, blob.count - 5, blob.count - 1, 20,
    ]
    for position in positions {
      var bad = blob
      bad[position] ^= 0x10
      let problem = Self.decodeProblem(bad)
      #expect(problem.hasPrefix("checksum mismatch"), "byte \(position): \(problem)")
      #expect(problem.hasSuffix("the file is corrupt"), "byte \(position): \(problem)")
    }
  }

  @Test func aTruncatedFileSaysSo() throws {
    let blob = try Checkpoint.encode(Self.model("resnet20"))
    let n = blob.count
    let h = Self.headerLength(blob)
    for cut in [
      0, 3, 8, 11, 12, 19, 20, 20 + h / 2, 20 + h, 24 + h, (20 + h + n) / 2, n - 4, n - 1,
    ] {
      let problem = Self.decodeProblem(Array(blob.prefix(cut)))
      #expect(problem.hasPrefix("truncated"), "cut at \(cut): \(problem)")
      if cut >= 24 + h {
        #expect(problem == "truncated: the file has \(cut) bytes, expected \(n)")
      }
    }
  }

  @Test func trailingBytesAreCorruption() throws {
    let blob = try Checkpoint.encode(Self.model("vgg-small"))
    let problem = Self.decodeProblem(blob + [0])
    #expect(problem.contains("has \(blob.count + 1) bytes but its header describes \(blob.count)"))
  }

  @Test func otherFilesAreNotCheckpoints() throws {
    var blob = try Checkpoint.encode(Self.model("vgg-small"))
    blob[0] = UInt8(ascii: "X")
    for bytes in [blob, Array("GIF89a and more bytes than the magic".utf8), Array("SHEARX".utf8)] {
      #expect(Self.decodeProblem(bytes).hasPrefix("not a Shears checkpoint"))
    }
  }

  @Test func aNewerVersionIsRefused() throws {
    let blob = try Checkpoint.encode(Self.model("vgg-small"))
    let h = Self.headerLength(blob)
    let newer = Self.assemble(
      header: Array(blob[20..<20 + h]), data: blob[(20 + h)..<(blob.count - 4)], version: 2)
    #expect(
      Self.decodeProblem(newer)
        == "written by a newer Shears (format version 2; this build reads up to 1)")
    let zero = Self.assemble(
      header: Array(blob[20..<20 + h]), data: blob[(20 + h)..<(blob.count - 4)], version: 0)
    #expect(Self.decodeProblem(zero).hasPrefix("unknown format version 0"))
  }

  @Test func anInvalidHeaderIsReported() throws {
    let blob = try Checkpoint.encode(Self.model("vgg-small"))
    let h = Self.headerLength(blob)
    let data = blob[(20 + h)..<(blob.count - 4)]
    let garbage = Self.assemble(header: Array("{not json".utf8), data: data)
    #expect(Self.decodeProblem(garbage).hasPrefix("the header is not valid checkpoint JSON"))
    let noClasses = try Self.editingHeader(blob) { $0["classes"] = nil }
    #expect(
      Self.decodeProblem(noClasses)
        == "the header is not valid checkpoint JSON: missing field 'classes'")
  }

  @Test func anIndexEntryNoNodeOwnsIsReported() throws {
    let blob = try Checkpoint.encode(Self.model("resnet20"))
    let h = Self.headerLength(blob)
    let dataBytes = blob.count - 24 - h
    let extra = try Self.editingHeader(blob) { header in
      var tensors = try #require(header["tensors"] as? [[String: Any]])
      tensors.append([
        "path": "linear.scale", "kind": "parameter", "shape": [0], "offset": dataBytes,
        "byteCount": 0,
      ])
      header["tensors"] = tensors
    }
    #expect(
      Self.decodeProblem(extra)
        == "the tensor index lists parameter 'linear.scale', which no node of the graph owns")
  }

  @Test func aRenamedIndexEntryIsAMissingTensor() throws {
    let blob = try Checkpoint.encode(Self.model("resnet20"))
    let renamed = try Self.editingEntry(blob, "linear.weight") { $0["path"] = "linear.weights" }
    #expect(
      Self.decodeProblem(renamed)
        == "the tensor index has no entry for parameter 'linear.weight' of node 'linear'")
  }

  @Test func indexShapeAndKindMustMatchTheGraph() throws {
    let blob = try Checkpoint.encode(Self.model("resnet20"))
    // Width 0.25: the last stage has 16 channels, so the classifier weight is [10, 16].
    let swapped = try Self.editingEntry(blob, "linear.weight") { $0["shape"] = [16, 10] }
    #expect(
      Self.decodeProblem(swapped)
        == "tensor 'linear.weight' has shape [16, 10] in the index, but node 'linear' needs [10, 16]"
    )
    let kind = try Self.editingEntry(blob, "bn1.running_mean") { $0["kind"] = "parameter" }
    #expect(
      Self.decodeProblem(kind)
        == "the tensor index lists 'bn1.running_mean' as a parameter, but node 'bn1' has it as a buffer"
    )
    let size = try Self.editingEntry(blob, "linear.bias") { $0["shape"] = [11] }
    #expect(
      Self.decodeProblem(size)
        == "tensor index invalid: entry 'linear.bias' has 40 bytes, but shape [11] needs 44")
    let offset = try Self.editingEntry(blob, "linear.bias") { $0["offset"] = 0 }
    #expect(
      Self.decodeProblem(offset).hasPrefix("tensor index invalid: entry 'linear.bias' starts"))
  }

  @Test func aGraphTheValidatorRejectsIsReported() throws {
    let blob = try Checkpoint.encode(Self.model("vgg-small"))
    let bad = try Self.editingHeader(blob) { header in
      var nodes = try #require(header["nodes"] as? [[String: Any]])
      let i = try #require(nodes.firstIndex { $0["name"] as? String == "classifier" })
      nodes[i]["inputs"] = ["nowhere"]
      header["nodes"] = nodes
    }
    #expect(
      Self.decodeProblem(bad)
        == "the graph is invalid: invalid network graph: node 'classifier' reads 'nowhere', "
        + "which is not an earlier node")
  }

  @Test func loadNamesAMissingFile() throws {
    let directory = try Self.temporaryDirectory()
    defer { Self.cleanUp(directory) }
    let missing = directory + "/absent.ck"
    #expect(Self.problem { _ = try Checkpoint.load(from: missing) } == "no such file")
    do {
      _ = try Checkpoint.load(from: missing)
    } catch {
      #expect("\(error)" == "checkpoint \(missing): no such file")
    }
    #expect(
      Self.problem { _ = try Checkpoint.load(from: directory) }
        == "is a directory, not a checkpoint file")
  }

  // MARK: - Atomic saves

  @Test func savingOverACheckpointReplacesIt() throws {
    let directory = try Self.temporaryDirectory()
    defer { Self.cleanUp(directory) }
    let path = directory + "/model.ck"
    try Checkpoint.save(Self.model("vgg-small", seed: 1), to: path, metadata: ["run": "1"])
    let second = try Self.model("vgg-small", seed: 2)
    try Checkpoint.save(second, to: path, metadata: ["run": "2"])
    let (loaded, metadata) = try Checkpoint.load(from: path)
    Self.expectIdentical(second, loaded)
    #expect(metadata == ["run": "2"])
    #expect(try Self.listing(directory) == ["model.ck"])
  }

  @Test func aNetworkThatCannotBeEncodedLeavesTheOldFile() throws {
    let directory = try Self.temporaryDirectory()
    defer { Self.cleanUp(directory) }
    let path = directory + "/model.ck"
    var net = try Self.model("vgg-small")
    try Checkpoint.save(net, to: path)
    let before = try Self.fileBytes(path)
    net.parameters["classifier.weight"] = nil
    let problem = Self.problem { try Checkpoint.save(net, to: path) }
    #expect(problem == "cannot save: the network has no parameter 'classifier.weight'")
    #expect(try Self.fileBytes(path) == before)
    #expect(try Self.listing(directory) == ["model.ck"])
  }

  @Test func aFailedRenameRemovesTheTemporaryFile() throws {
    // The target is a non-empty directory: the temporary file is written and synced, then the
    // rename fails; the directory must survive and the temporary file must be gone.
    let directory = try Self.temporaryDirectory()
    defer { Self.cleanUp(directory) }
    let target = directory + "/model.ck"
    try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: false)
    #expect(FileManager.default.createFile(atPath: target + "/keep", contents: Data([1, 2, 3])))
    let problem = Self.problem { try Checkpoint.save(Self.model("vgg-small"), to: target) }
    #expect(problem.hasPrefix("cannot save: renaming"), "\(problem)")
    #expect(try Self.listing(directory) == ["model.ck"])
    #expect(try Self.listing(target) == ["keep"])
  }

  @Test func savingIntoAMissingDirectoryFailsCleanly() throws {
    let directory = try Self.temporaryDirectory()
    defer { Self.cleanUp(directory) }
    let path = directory + "/nope/model.ck"
    let problem = Self.problem { try Checkpoint.save(Self.model("vgg-small"), to: path) }
    #expect(problem == "cannot save: the directory '\(directory)/nope' does not exist")
    #expect(try Self.listing(directory).isEmpty)
  }

  @Test(.enabled(if: getuid() != 0, "root ignores directory permissions"))
  func aReadOnlyDirectoryLeavesTheOldFile() throws {
    let directory = try Self.temporaryDirectory()
    defer { Self.cleanUp(directory) }
    let path = directory + "/model.ck"
    try Checkpoint.save(Self.model("vgg-small", seed: 1), to: path)
    let before = try Self.fileBytes(path)
    #expect(chmod(directory, 0o555) == 0)
    let problem = Self.problem { try Checkpoint.save(Self.model("vgg-small", seed: 2), to: path) }
    #expect(chmod(directory, 0o755) == 0)
    #expect(problem.hasPrefix("cannot save: cannot create"), "\(problem)")
    #expect(try Self.fileBytes(path) == before)
    #expect(try Self.listing(directory) == ["model.ck"])
  }
}
