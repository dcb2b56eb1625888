import Foundation

/// The JSON settings every archive uses: sorted keys (canonical bytes, stable hashes) and
/// non-finite numbers as the strings `nan`, `inf`, `-inf`.
enum JSONCoding {
  static func encode<T: Encodable>(_ value: T) throws -> [UInt8] {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    encoder.nonConformingFloatEncodingStrategy = .convertToString(
      positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    return Array(try encoder.encode(value))
  }

  static func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8], what: String) throws -> T {
    let decoder = JSONDecoder()
    decoder.nonConformingFloatDecodingStrategy = .convertFromString(
      positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    do {
      return try decoder.decode(type, from: Data(bytes))
    } catch {
      throw RuntimeError.unarchive(type: what, problem: "the JSON does not decode: \(error)")
    }
  }
}
