import Foundation
import NeuralNet
import TensorCore
import Testing

@testable import Pruning

/// Networks, score sets, a CSV parser and temporary folders for the analysis tests.
enum AnalysisFixtures {
  /// `input [cin,4,4] → (conv, relu)… → pool → flatten → fc`, convs padded to keep 4×4; the
  /// builder's Kaiming-normal weights (std `sqrt(2/k)`) from `SeededRNG(seed:)`.
  static func convChain(
    inputChannels: Int, convs: [(name: String, out: Int, kernel: Int)], seed: UInt64 = 1
  ) throws -> Network {
    var b = NetworkBuilder(inputShape: [inputChannels, 4, 4], rng: SeededRNG(seed: seed))
    var channels = inputChannels
    for conv in convs {
      try b.add(
        conv.name,
        .conv(
          ConvSpec(
            inChannels: channels, outChannels: conv.out, kernel: conv.kernel,
            padding: conv.kernel / 2)))
      try b.add("relu_" + conv.name, .relu)
      channels = conv.out
    }
    try b.add("pool", .globalAvgPool)
    try b.add("flatten", .flatten)
    try b.add("fc", .linear(LinearSpec(inFeatures: channels, outFeatures: 2)))
    return try b.build(name: "chain", classes: 2)
  }

  /// Replaces conv `name`'s weights by `count` draws of `draw`.
  static func setWeights(
    _ net: inout Network, _ name: String, _ draw: () -> Float
  ) throws {
    let shape = try #require(net.parameters[name + ".weight"]).shape
    let count = shape.reduce(1, *)
    net.parameters[name + ".weight"] = Tensor(
      shape: shape, scalars: (0..<count).map { _ in draw() })
  }

  /// A criterion's scores for the given layers, in that order.
  static func scores(_ criterion: String, _ layers: [(String, [Double])]) -> LayerScores {
    LayerScores(
      criterion: criterion, layers: layers.map(\.0),
      scores: Dictionary(uniqueKeysWithValues: layers))
  }

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

/// `|a − b| ≤ tol`, treating two nils as equal.
func analysisClose(_ a: Double?, _ b: Double?, tol: Double = 1e-12) -> Bool {
  switch (a, b) {
  case (nil, nil): return true
  case (let x?, let y?): return abs(x - y) <= tol
  default: return false
  }
}
