import Foundation

extension Network {
  /// A stable hash of the graph's structure (node names, operations, inputs, input shape and
  /// classes — not the weights), hex. Plans record it so that a plan made for another model is
  /// refused. FNV-1a 64 over the sorted-keys JSON of the structure.
  public var fingerprint: String {
    struct Structure: Encodable {
      var name: String
      var inputShape: [Int]
      var classes: Int
      var nodes: [Node]
    }
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    let data =
      (try? encoder.encode(
        Structure(name: name, inputShape: inputShape, classes: classes, nodes: nodes))) ?? Data()
    var h: UInt64 = 0xCBF2_9CE4_8422_2325
    for b in data {
      h ^= UInt64(b)
      h = h &* 0x100_0000_01B3
    }
    return String(h, radix: 16)
  }
}
