/// Comma-separated values as RFC 4180 describes them: fields separated by commas, records
/// ended by CRLF, and a field that contains a comma, a double quote, CR or LF enclosed in double
/// quotes with each inner quote doubled.
///
/// ```swift
/// CSVWriter.field("conv,1")        // "\"conv,1\""
/// CSVWriter.field("say \"hi\"")    // "\"say \"\"hi\"\"\""
/// CSVWriter.table(header: ["a", "b"], rows: [["1", "2"]])  // "a,b\r\n1,2\r\n"
/// ```
enum CSVWriter {
  /// `value` as one field, quoted when it has to be.
  public static func field(_ value: String) -> String {
    let needsQuotes = value.unicodeScalars.contains { "\",\r\n".unicodeScalars.contains($0) }
    guard needsQuotes else { return value }
    var quoted = "\""
    for scalar in value.unicodeScalars {
      quoted.unicodeScalars.append(scalar)
      if scalar == "\"" { quoted.unicodeScalars.append(scalar) }
    }
    return quoted + "\""
  }

  /// One record: the fields, quoted as needed, joined by commas and ended by CRLF.
  public static func record(_ fields: [String]) -> String {
    fields.map(field).joined(separator: ",") + "\r\n"
  }

  /// A header record followed by the rows.
  public static func table(header: [String], rows: [[String]]) -> String {
    rows.reduce(into: record(header)) { $0 += record($1) }
  }

  /// A number in the shortest form that reads back to the same `Double` (Swift's
  /// `description`: `0.1`, `1e-05`, `2.0`; `nan`, `inf`, `-inf` for non-finite values, as
  /// Python's `float` reads them); the empty field for `nil`.
  public static func number(_ value: Double?) -> String {
    value.map { $0.description } ?? ""
  }
}
