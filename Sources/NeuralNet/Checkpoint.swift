import CZlib
import DurableIO
import Foundation
import TensorCore

/// Saves and loads a ``Network`` (graph, parameters, buffers) with free-form metadata in a
/// versioned, checksummed binary file.
///
/// Format version 1, byte by byte (all integers little-endian):
///
/// | offset        | size | content                                                        |
/// |---------------|------|----------------------------------------------------------------|
/// | 0             | 8    | magic `SHEARSCK` (ASCII)                                       |
/// | 8             | 4    | format version, UInt32 (1)                                     |
/// | 12            | 8    | header length `H` in bytes, UInt64                             |
/// | 20            | H    | header: UTF-8 JSON, keys sorted (see below)                    |
/// | 20 + H        | D    | tensor data: Float32 LE, row-major, tensors in index order     |
/// | 20 + H + D    | 4    | CRC-32 (zlib's `crc32`, as in gzip/PNG) of bytes `0..<20+H+D`  |
///
/// The header is one JSON object with the keys `classes` (Int), `inputShape` (`[C, H, W]`),
/// `metadata` (string → string), `name` (model name), `nodes` (the graph in topological order,
/// ``Node``'s `Codable` form) and `tensors`, the tensor index: one object per tensor with
/// `path` (`conv1.weight`), `kind` (`parameter` or `buffer`), `shape`, `offset` (bytes from the
/// start of the tensor data, so the first tensor is at 0) and `byteCount` (4 × elements).
/// Tensors follow graph order, each node's parameters (weight, bias) then its buffers
/// (running mean, running variance); they are packed without gaps, so `D` is the sum of the
/// byte counts. Only tensors some node owns are written.
///
/// Saving is atomic (``DurableIO/DurableFile``): the bytes go to a temporary file beside the
/// target, are flushed with `fsync`, and the file is renamed over the target; then the
/// directory is synced. On failure the temporary file is removed and an existing target is
/// left as it was.
///
/// Loading checks, in this order: magic, version (newer versions are refused), size against
/// the header, checksum, the tensor index against the graph, then the graph itself (through
/// ``Network/init(name:inputShape:classes:nodes:parameters:buffers:)``). Every failure is a
/// ``NeuralNetError/checkpoint(path:problem:)`` naming the file and the problem.
///
/// ```swift
/// try Checkpoint.save(net, to: "runs/resnet20.ck", metadata: ["epoch": "30"])
/// let (restored, metadata) = try Checkpoint.load(from: "runs/resnet20.ck")
/// ```
public enum Checkpoint {
  /// The 8 bytes every checkpoint starts with: `SHEARSCK`.
  public static let magic: [UInt8] = Array("SHEARSCK".utf8)
  /// The format version this build writes, and the newest it reads.
  static let formatVersion: UInt32 = 1

  /// Bytes before the header: magic, version, header length.
  private static let preambleSize = 20
  /// Bytes of the trailing checksum.
  private static let checksumSize = 4
  /// The path used in errors of ``encode(_:metadata:)`` and ``decode(_:path:)`` by default.
  private static let memoryPath = "(in memory)"

  /// Writes `network` and `metadata` to `path` atomically (temporary file, fsync, rename).
  ///
  /// Throws ``NeuralNetError/checkpoint(path:problem:)`` when the network cannot be encoded
  /// or the file cannot be written; an existing file at `path` is then left untouched.
  public static func save(
    _ network: Network, to path: String, metadata: [String: String] = [:]
  ) throws {
    let bytes = try encode(network, metadata: metadata, path: path)
    try FileAccess.writeAtomically(bytes, to: path)
  }

  /// Reads the checkpoint at `path` and rebuilds its network (validated) and metadata.
  public static func load(from path: String) throws -> (
    network: Network, metadata: [String: String]
  ) {
    let bytes = try FileAccess.readAll(path)
    return try decode(bytes, path: path)
  }

  /// The checkpoint bytes of `network` and `metadata`, exactly as ``save(_:to:metadata:)``
  /// writes them.
  public static func encode(_ network: Network, metadata: [String: String] = [:]) throws
    -> [UInt8]
  {
    try encode(network, metadata: metadata, path: memoryPath)
  }

  /// Rebuilds a network and its metadata from checkpoint bytes; `path` names the source in
  /// errors.
  public static func decode(_ bytes: [UInt8], path: String = "(in memory)") throws -> (
    network: Network, metadata: [String: String]
  ) {
    try Reader(bytes: bytes, path: path).decode()
  }

  // MARK: - Encoding

  private static func encode(_ network: Network, metadata: [String: String], path: String) throws
    -> [UInt8]
  {
    func fail(_ problem: String) -> NeuralNetError {
      .checkpoint(path: path, problem: "cannot save: \(problem)")
    }
    var entries: [TensorEntry] = []
    var tensors: [Tensor] = []
    var offset: UInt64 = 0
    func add(_ path: String, _ kind: TensorKind, _ shape: [Int], _ tensor: Tensor?) throws {
      guard let tensor else { throw fail("the network has no \(kind.rawValue) '\(path)'") }
      guard tensor.shape == shape else {
        throw fail("\(kind.rawValue) '\(path)' has shape \(tensor.shape), its node needs \(shape)")
      }
      guard tensor.isPlain else {
        throw fail("\(kind.rawValue) '\(path)' is in a blocked layout; reorder it to plain first")
      }
      let byteCount = UInt64(tensor.count) * 4
      entries.append(
        TensorEntry(path: path, kind: kind, shape: shape, offset: offset, byteCount: byteCount))
      tensors.append(tensor)
      offset += byteCount
    }
    for node in network.nodes {
      for (p, shape) in Network.parameterShapes(of: node) {
        try add(p, .parameter, shape, network.parameters[p])
      }
      for (p, shape) in Network.bufferShapes(of: node) {
        try add(p, .buffer, shape, network.buffers[p])
      }
    }
    let header = Header(
      name: network.name, inputShape: network.inputShape, classes: network.classes,
      nodes: network.nodes, metadata: metadata, tensors: entries)
    let json: Data
    do {
      let encoder = JSONEncoder()
      encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
      json = try encoder.encode(header)
    } catch {
      throw fail("the graph cannot be written as JSON (\(error))")
    }

    var bytes: [UInt8] = []
    bytes.reserveCapacity(preambleSize + json.count + Int(offset) + checksumSize)
    bytes.append(contentsOf: magic)
    appendLittleEndian(formatVersion, to: &bytes)
    appendLittleEndian(UInt64(json.count), to: &bytes)
    bytes.append(contentsOf: json)
    for tensor in tensors {
      tensor.withUnsafeBufferPointer { buffer in
        let scalars = UnsafeBufferPointer(rebasing: buffer[0..<tensor.count])
        #if _endian(little)
          bytes.append(contentsOf: UnsafeRawBufferPointer(scalars))
        #else
          for x in scalars { appendLittleEndian(x.bitPattern, to: &bytes) }
        #endif
      }
    }
    appendLittleEndian(crc32(of: bytes[...]), to: &bytes)
    return bytes
  }

  private static func appendLittleEndian<T: FixedWidthInteger>(_ value: T, to bytes: inout [UInt8])
  {
    withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
  }

  /// zlib's CRC-32 of `bytes`, fed in chunks that fit its 32-bit length argument.
  static func crc32(of bytes: ArraySlice<UInt8>) -> UInt32 {
    bytes.withUnsafeBufferPointer { buffer in
      var crc = CZlib.crc32(0, nil, 0)
      var start = 0
      while start < buffer.count {
        let length = min(buffer.count - start, 1 << 30)
        // Inside the loop `buffer` is not empty, so its base address exists.
        crc = CZlib.crc32(crc, buffer.baseAddress! + start, uInt(length))
        start += length
      }
      return UInt32(truncatingIfNeeded: crc)
    }
  }

  // MARK: - Header

  /// Whether an index entry is a trainable parameter or a buffer.
  private enum TensorKind: String, Codable {
    case parameter
    case buffer
  }

  /// One tensor of the index.
  private struct TensorEntry: Codable {
    var path: String
    var kind: TensorKind
    var shape: [Int]
    var offset: UInt64
    var byteCount: UInt64
  }

  /// The JSON header.
  private struct Header: Codable {
    var name: String
    var inputShape: [Int]
    var classes: Int
    var nodes: [Node]
    var metadata: [String: String]
    var tensors: [TensorEntry]
  }

  // MARK: - Decoding

  /// Reads one byte buffer, checking it in the documented order.
  private struct Reader {
    let bytes: [UInt8]
    let path: String

    func fail(_ problem: String) -> NeuralNetError { .checkpoint(path: path, problem: problem) }

    func truncated(expected: UInt64, atLeast: Bool) -> NeuralNetError {
      fail(
        "truncated: the file has \(bytes.count) bytes, expected \(atLeast ? "at least " : "")"
          + "\(expected)")
    }

    func uint32(at offset: Int) -> UInt32 {
      (0..<4).reduce(0) { $0 | UInt32(bytes[offset + $1]) << (8 * $1) }
    }

    func uint64(at offset: Int) -> UInt64 {
      (0..<8).reduce(0) { $0 | UInt64(bytes[offset + $1]) << (8 * $1) }
    }

    /// Whether the last four bytes are the CRC-32 of everything before them.
    func checksumMatches() -> (matches: Bool, stored: UInt32, computed: UInt32) {
      let end = bytes.count - checksumSize
      let stored = uint32(at: end)
      let computed = crc32(of: bytes[0..<end])
      return (stored == computed, stored, computed)
    }

    func decode() throws -> (network: Network, metadata: [String: String]) {
      let n = bytes.count
      let minimumSize = UInt64(preambleSize + checksumSize)
      if n == 0 { throw fail("truncated: the file is empty (0 bytes)") }
      let magicBytes = min(n, magic.count)
      guard bytes[0..<magicBytes].elementsEqual(magic[0..<magicBytes]) else {
        throw fail("not a Shears checkpoint (it does not start with 'SHEARSCK')")
      }
      guard n >= 12 else { throw truncated(expected: minimumSize, atLeast: true) }
      let version = uint32(at: 8)
      guard version <= formatVersion else {
        throw fail(
          "written by a newer Shears (format version \(version); this build reads up to "
            + "\(formatVersion))")
      }
      guard version >= 1 else {
        throw fail("unknown format version \(version) (this build reads 1 to \(formatVersion))")
      }
      guard n >= preambleSize else { throw truncated(expected: minimumSize, atLeast: true) }
      let headerLength = uint64(at: 12)
      let (withHeader, overflow) = minimumSize.addingReportingOverflow(headerLength)
      guard !overflow, UInt64(n) >= withHeader else {
        throw truncated(expected: withHeader, atLeast: true)
      }
      let headerEnd = preambleSize + Int(headerLength)
      let header = try readHeader(bytes[preambleSize..<headerEnd])

      var dataLength: UInt64 = 0
      for entry in header.tensors {
        let (sum, overflow) = dataLength.addingReportingOverflow(entry.byteCount)
        guard !overflow else {
          throw fail("tensor index invalid: the byte counts add up to more than 2^64")
        }
        dataLength = sum
      }
      let (expectedSize, sizeOverflow) = withHeader.addingReportingOverflow(dataLength)
      guard !sizeOverflow, UInt64(n) >= expectedSize else {
        throw truncated(expected: sizeOverflow ? UInt64.max : expectedSize, atLeast: false)
      }
      guard UInt64(n) == expectedSize else {
        throw fail(
          "the file has \(n) bytes but its header describes \(expectedSize): the file is corrupt")
      }
      let check = checksumMatches()
      guard check.matches else {
        throw fail(
          "checksum mismatch (stored \(hex(check.stored)), computed \(hex(check.computed))): "
            + "the file is corrupt")
      }

      try checkIndexLayout(header.tensors)
      try checkIndex(header.tensors, against: header.nodes)

      let dataStart = headerEnd
      var parameters: [String: Tensor] = [:]
      var buffers: [String: Tensor] = [:]
      for entry in header.tensors {
        let tensor = readTensor(entry, dataStart: dataStart)
        switch entry.kind {
        case .parameter: parameters[entry.path] = tensor
        case .buffer: buffers[entry.path] = tensor
        }
      }
      do {
        let network = try Network(
          name: header.name, inputShape: header.inputShape, classes: header.classes,
          nodes: header.nodes, parameters: parameters, buffers: buffers)
        return (network, header.metadata)
      } catch let error as NeuralNetError {
        throw fail("the graph is invalid: \(error)")
      }
    }

    func readHeader(_ slice: ArraySlice<UInt8>) throws -> Header {
      do {
        return try JSONDecoder().decode(Header.self, from: Data(slice))
      } catch {
        let check = checksumMatches()
        guard check.matches else {
          throw fail(
            "checksum mismatch (stored \(hex(check.stored)), computed \(hex(check.computed))): "
              + "the file is corrupt")
        }
        throw fail("the header is not valid checkpoint JSON: \(Self.describe(error))")
      }
    }

    /// Offsets packed in order, byte counts matching shapes, paths unique.
    func checkIndexLayout(_ entries: [TensorEntry]) throws {
      var offset: UInt64 = 0
      var seen: Set<String> = []
      for entry in entries {
        func bad(_ m: String) -> NeuralNetError {
          fail("tensor index invalid: entry '\(entry.path)' \(m)")
        }
        guard seen.insert(entry.path).inserted else { throw bad("appears twice") }
        guard entry.offset == offset else {
          throw bad("starts at byte \(entry.offset), expected \(offset)")
        }
        guard entry.shape.allSatisfy({ $0 >= 0 }) else {
          throw bad("has a negative dimension in shape \(entry.shape)")
        }
        var elements: UInt64 = 1
        for d in entry.shape {
          let (p, o) = elements.multipliedReportingOverflow(by: UInt64(d))
          guard !o else { throw bad("has a shape too large: \(entry.shape)") }
          elements = p
        }
        let (expected, o) = elements.multipliedReportingOverflow(by: 4)
        guard !o, entry.byteCount == expected else {
          throw bad("has \(entry.byteCount) bytes, but shape \(entry.shape) needs \(expected)")
        }
        offset += entry.byteCount
      }
    }

    /// Every tensor the graph's nodes own is in the index with its kind and shape, and nothing
    /// else is.
    func checkIndex(_ entries: [TensorEntry], against nodes: [Node]) throws {
      var byPath: [String: TensorEntry] = [:]
      for entry in entries { byPath[entry.path] = entry }
      var owned: Set<String> = []
      for node in nodes {
        let needed =
          Network.parameterShapes(of: node).map { ($0.path, $0.shape, TensorKind.parameter) }
          + Network.bufferShapes(of: node).map { ($0.path, $0.shape, TensorKind.buffer) }
        for (p, shape, kind) in needed {
          owned.insert(p)
          guard let entry = byPath[p] else {
            throw fail(
              "the tensor index has no entry for \(kind.rawValue) '\(p)' of node '\(node.name)'")
          }
          guard entry.kind == kind else {
            throw fail(
              "the tensor index lists '\(p)' as a \(entry.kind.rawValue), but node "
                + "'\(node.name)' has it as a \(kind.rawValue)")
          }
          guard entry.shape == shape else {
            throw fail(
              "tensor '\(p)' has shape \(entry.shape) in the index, but node '\(node.name)' "
                + "needs \(shape)")
          }
        }
      }
      if let extra = entries.first(where: { !owned.contains($0.path) }) {
        throw fail(
          "the tensor index lists \(extra.kind.rawValue) '\(extra.path)', which no node of the "
            + "graph owns")
      }
    }

    func readTensor(_ entry: TensorEntry, dataStart: Int) -> Tensor {
      var tensor = Tensor(zeros: entry.shape)
      let start = dataStart + Int(entry.offset)
      let count = Int(entry.byteCount) / 4
      tensor.withUnsafeMutableBufferPointer { target in
        bytes.withUnsafeBytes { source in
          #if _endian(little)
            UnsafeMutableRawBufferPointer(target).copyMemory(
              from: UnsafeRawBufferPointer(rebasing: source[start..<start + count * 4]))
          #else
            for i in 0..<count {
              var bits: UInt32 = 0
              for b in 0..<4 { bits |= UInt32(source[start + 4 * i + b]) << (8 * b) }
              target[i] = Float(bitPattern: bits)
            }
          #endif
        }
      }
      return tensor
    }

    func hex(_ value: UInt32) -> String {
      let digits = String(value, radix: 16)
      return "0x" + String(repeating: "0", count: 8 - digits.count) + digits
    }

    /// A short account of a JSON decoding error: what went wrong, and where.
    static func describe(_ error: any Error) -> String {
      func location(_ context: DecodingError.Context) -> String {
        let keys = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? "." + $0.stringValue }
        let joined = keys.joined()
        return joined.isEmpty
          ? "" : " at \(joined.hasPrefix(".") ? String(joined.dropFirst()) : joined)"
      }
      switch error {
      case DecodingError.keyNotFound(let key, let context):
        return "missing field '\(key.stringValue)'\(location(context))"
      case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context),
        DecodingError.dataCorrupted(let context):
        return context.debugDescription + location(context)
      default:
        return "\(error)"
      }
    }
  }

  // MARK: - Files

  /// Whole-file reads and atomic whole-file writes (``DurableIO``), with checkpoint messages.
  private enum FileAccess {
    static func readAll(_ path: String) throws -> [UInt8] {
      do {
        return try DurableFile.read(path)
      } catch .notFound {
        throw NeuralNetError.checkpoint(path: path, problem: "no such file")
      } catch .isDirectory {
        throw NeuralNetError.checkpoint(
          path: path, problem: "is a directory, not a checkpoint file")
      } catch {
        throw NeuralNetError.checkpoint(path: path, problem: "cannot be read: \(error.reason)")
      }
    }

    static func writeAtomically(_ bytes: [UInt8], to path: String) throws {
      do {
        try DurableFile.write(bytes, to: path)
      } catch {
        throw NeuralNetError.checkpoint(path: path, problem: "cannot save: \(error.reason)")
      }
    }
  }
}
