import Foundation
import Pruning

/// JSON for the analysis results (and any other `Codable` value): pretty-printed, keys sorted,
/// slashes not escaped, so the files are stable and diffable. Non-finite numbers, which plain
/// JSON cannot hold, are written as the strings `"nan"`, `"inf"` and `"-inf"` and read back
/// as such; undefined coefficients are `null` (Swift `nil`).
///
/// ```swift
/// try DurableFile.write(Array(try AnalysisJSON.encode(similarity)), to: "similarity.json")
/// let back = try AnalysisJSON.decode(CriteriaSimilarity.self, from: data)
/// ```
enum AnalysisJSON {
  /// The encoder used: `[.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]`.
  public static func encoder() -> JSONEncoder {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    encoder.nonConformingFloatEncodingStrategy = .convertToString(
      positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    return encoder
  }

  /// The matching decoder.
  public static func decoder() -> JSONDecoder {
    let decoder = JSONDecoder()
    decoder.nonConformingFloatDecodingStrategy = .convertFromString(
      positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    return decoder
  }

  /// `value` as JSON bytes.
  /// - Throws: `AnalysisError.encodingFailed`.
  public static func encode<T: Encodable>(_ value: T) throws(AnalysisError) -> Data {
    do {
      return try encoder().encode(value)
    } catch {
      throw .encodingFailed(what: "\(T.self)", reason: "\(error)")
    }
  }

  /// A `T` read from JSON bytes.
  /// - Throws: `AnalysisError.decodingFailed`.
  public static func decode<T: Decodable>(_ type: T.Type, from data: Data) throws(AnalysisError)
    -> T
  {
    do {
      return try decoder().decode(type, from: data)
    } catch {
      throw .decodingFailed(what: "\(T.self)", reason: "\(error)")
    }
  }
}
