import NeuralNet

/// A hash of a network's weights (every parameter and buffer, by sorted path, bit patterns):
/// unlike ``NeuralNet/Network/fingerprint``, which covers the graph only, it tells a trained
/// model from a fresh one of the same architecture. FNV-1a 64, hex.
///
/// ```swift
/// WeightsDigest.of(net) == WeightsDigest.of(net)   // true
/// ```
public enum WeightsDigest {
  /// The digest of `network`'s weights.
  public static func of(_ network: Network) -> String {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    func mix(_ byte: UInt8) {
      h ^= UInt64(byte)
      h = h &* 0x0000_0100_0000_01b3
    }
    for (path, tensor) in network.parameters.sorted(by: { $0.key < $1.key })
      + network.buffers.sorted(by: { $0.key < $1.key })
    {
      for b in path.utf8 { mix(b) }
      tensor.withUnsafeBufferPointer { p in
        for v in p {
          let bits = v.bitPattern
          mix(UInt8(bits & 0xff))
          mix(UInt8((bits >> 8) & 0xff))
          mix(UInt8((bits >> 16) & 0xff))
          mix(UInt8(bits >> 24))
        }
      }
    }
    let s = String(h, radix: 16)
    return String(repeating: "0", count: 16 - s.count) + s
  }
}
