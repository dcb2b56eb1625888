/// A quick look at the structure of JSON bytes, without decoding them: whether the text ends
/// with every object, array and string closed. It tells a truncated file ("ends early") from
/// one that is complete but wrong.
enum JSONShape: Equatable {
  /// Nothing but blanks.
  case empty
  /// Every bracket and string that opens also closes.
  case closed
  /// The text stops with something still open.
  case open
  /// A closing bracket that does not match, at this byte offset.
  case mismatched(offset: Int)

  /// The shape of `bytes`.
  static func of(_ bytes: [UInt8]) -> JSONShape {
    var stack: [UInt8] = []
    var inString = false
    var escaped = false
    var sawValue = false
    for (offset, byte) in bytes.enumerated() {
      if inString {
        if escaped {
          escaped = false
        } else if byte == UInt8(ascii: "\\") {
          escaped = true
        } else if byte == UInt8(ascii: "\"") {
          inString = false
        }
        continue
      }
      switch byte {
      case UInt8(ascii: " "), UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "\t"):
        continue
      case UInt8(ascii: "\""):
        inString = true
      case UInt8(ascii: "{"), UInt8(ascii: "["):
        stack.append(byte)
      case UInt8(ascii: "}"), UInt8(ascii: "]"):
        let opener = byte == UInt8(ascii: "}") ? UInt8(ascii: "{") : UInt8(ascii: "[")
        guard stack.last == opener else { return .mismatched(offset: offset) }
        stack.removeLast()
      default:
        break
      }
      sawValue = true
    }
    if !sawValue { return .empty }
    return inString || !stack.isEmpty ? .open : .closed
  }
}
