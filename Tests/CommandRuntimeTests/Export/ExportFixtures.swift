import Foundation
import Pruning

/// Score sets, an independent CSV parser and temporary folders for the export tests.
enum ExportFixtures {
  /// A criterion's scores for the given layers, in that order.
  static func scores(_ criterion: String, _ layers: [(String, [Double])]) -> LayerScores {
    LayerScores(
      criterion: criterion, layers: layers.map(\.0),
      scores: Dictionary(uniqueKeysWithValues: layers))
  }

  /// Three criteria on two layers, one of them constant on `c2` (undefined correlations).
  static let toy: [LayerScores] = [
    scores("a", [("c1", [0.5, 1.2, 0.3, 2.0, 0.9, 1.2]), ("c2", [3, 1, 4, 1, 5])]),
    scores("b", [("c1", [1.0, 0.8, 0.2, 3.1, 0.8, 1.5]), ("c2", [2, 7, 1, 8, 2])]),
    scores("c", [("c1", [1, 2, 3, 4, 5, 6]), ("c2", [2, 2, 2, 2, 2])]),
  ]

  /// An independent RFC 4180 reader: quoted fields with doubled quotes, records ended by CRLF.
  static func parseCSV(_ text: String) -> [[String]] {
    let s = Array(text.unicodeScalars)
    var rows: [[String]] = []
    var row: [String] = []
    var field = String.UnicodeScalarView()
    var inQuotes = false
    var i = 0
    while i < s.count {
      let c = s[i]
      if inQuotes {
        if c == "\"" {
          if i + 1 < s.count && s[i + 1] == "\"" {
            field.append(c)
            i += 1
          } else {
            inQuotes = false
          }
        } else {
          field.append(c)
        }
      } else if c == "\"" {
        inQuotes = true
      } else if c == "," {
        row.append(String(field))
        field = String.UnicodeScalarView()
      } else if c == "\r" && i + 1 < s.count && s[i + 1] == "\n" {
        row.append(String(field))
        rows.append(row)
        row = []
        field = String.UnicodeScalarView()
        i += 1
      } else {
        field.append(c)
      }
      i += 1
    }
    if !field.isEmpty || !row.isEmpty {
      row.append(String(field))
      rows.append(row)
    }
    return rows
  }

  /// A new empty folder under the system's temporary folder.
  static func temporaryFolder() throws -> String {
    let path = FileManager.default.temporaryDirectory
      .appendingPathComponent("shears-analysis-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
  }
}
