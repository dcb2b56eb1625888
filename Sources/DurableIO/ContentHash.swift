/// The content hash of values: 64-bit FNV-1a over a canonical byte encoding, as 16 lowercase
/// hex digits.
///
/// FNV-1a: start from the offset basis `0xcbf29ce484222325`; for each byte, XOR it in and
/// multiply by the prime `0x100000001b3` (wrapping). It is stable across runs, machines and
/// Swift versions (unlike `Hasher`), which is what session blobs named by hash and replay
/// checks need. It is not a cryptographic hash.
///
/// ```swift
/// ContentHash.hex(Array("a".utf8))  // "af63dc4c8601ec8c"
/// ```
public enum ContentHash {
  /// FNV-1a's 64-bit offset basis.
  public static let offsetBasis: UInt64 = 0xcbf2_9ce4_8422_2325
  /// FNV-1a's 64-bit prime.
  static let prime: UInt64 = 0x100_0000_01b3

  /// The FNV-1a-64 hash of `bytes`, continuing from `state` (the offset basis by default).
  public static func fnv1a64(_ bytes: [UInt8], state: UInt64 = offsetBasis) -> UInt64 {
    var hash = state
    bytes.withUnsafeBufferPointer { buffer in
      for byte in buffer {
        hash ^= UInt64(byte)
        hash = hash &* prime
      }
    }
    return hash
  }

  /// The hash of `bytes` as 16 lowercase hex digits.
  public static func hex(_ bytes: [UInt8]) -> String {
    hex(fnv1a64(bytes))
  }

  /// `value` as 16 lowercase hex digits, zero-padded.
  public static func hex(_ value: UInt64) -> String {
    let digits = String(value, radix: 16)
    return String(repeating: "0", count: max(0, 16 - digits.count)) + digits
  }

  /// The hash of 32-bit integers taken as little-endian bytes (labels, indices).
  public static func hex(int32s values: [Int32]) -> String {
    var bytes: [UInt8] = []
    bytes.reserveCapacity(values.count * 4)
    for value in values {
      let bits = UInt32(bitPattern: value)
      bytes += [
        UInt8(bits & 0xff), UInt8(bits >> 8 & 0xff), UInt8(bits >> 16 & 0xff), UInt8(bits >> 24),
      ]
    }
    return hex(bytes)
  }
}
