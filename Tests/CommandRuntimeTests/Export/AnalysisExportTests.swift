import DurableIO
import Foundation
import Pruning
import Testing

@testable import CommandRuntime

@Suite("Analysis export")
struct AnalysisExportTests {
  @Test func quotingFollowsRFC4180() {
    #expect(CSVWriter.field("plain") == "plain")
    #expect(CSVWriter.field("a,b") == "\"a,b\"")
    #expect(CSVWriter.field("say \"hi\"") == "\"say \"\"hi\"\"\"")
    #expect(CSVWriter.field("two\r\nlines") == "\"two\r\nlines\"")
    #expect(CSVWriter.table(header: ["x", "y"], rows: [["1", "2"]]) == "x,y\r\n1,2\r\n")
    #expect(CSVWriter.number(nil) == "" && CSVWriter.number(0.1) == "0.1")
  }

  @Test func scoresRoundTripThroughAnIndependentParser() throws {
    let odd = "ℓ1, \"raw\""
    let sets = [
      ExportFixtures.scores(odd, [("conv,1", [0.1, 1e-300, -2.5]), ("c\"2", [1.0 / 3.0])]),
      ExportFixtures.scores("l2", [("conv,1", [3, 4, 5e10]), ("c\"2", [-0.0])]),
    ]
    let rows = ExportFixtures.parseCSV(try AnalysisCSV.scores(sets))
    #expect(rows.first == ["layer", "filter", odd, "l2"])
    #expect(rows.count == 5)
    var index = 1
    for layer in sets[0].layers {
      for i in 0..<sets[0].scores[layer]!.count {
        let row = rows[index]
        #expect(row[0] == layer && Int(row[1]) == i)
        #expect(Double(row[2]) == sets[0].scores[layer]![i])
        #expect(Double(row[3]) == sets[1].scores[layer]![i])
        index += 1
      }
    }
  }

  @Test func similarityCSVIsLongFormat() throws {
    let sim = try CriteriaSimilarity(scores: ExportFixtures.toy)
    let rows = ExportFixtures.parseCSV(AnalysisCSV.similarity(sim))
    #expect(rows[0] == ["layer", "criterion_a", "criterion_b", "spearman", "kendall"])
    #expect(rows.count == 1 + 2 * 9)
    // Row for (c1, a, b), and an undefined cell (c2, a, c) as empty fields.
    let ab = try #require(rows.first { $0[0] == "c1" && $0[1] == "a" && $0[2] == "b" })
    #expect(Double(ab[3]) == sim.layers[0].spearman[0][1])
    #expect(Double(ab[4]) == sim.layers[0].kendall[0][1])
    let ac = try #require(rows.first { $0[0] == "c2" && $0[1] == "a" && $0[2] == "c" })
    #expect(ac[3] == "" && ac[4] == "")
    let mean = ExportFixtures.parseCSV(AnalysisCSV.similarityMean(sim))
    let meanAC = try #require(mean.first { $0[0] == "a" && $0[1] == "c" })
    #expect(Double(meanAC[2]) == sim.meanSpearman[0][2] && meanAC[4] == "1")
  }

  @Test func otherTablesHaveOneRowPerEntry() throws {
    let sets = ExportFixtures.toy
    let overlap = ExportFixtures.parseCSV(
      AnalysisCSV.overlap(try PruningOverlap(scores: sets, ratio: 0.5)))
    #expect(overlap.count == 1 + 2 * 9)
    let global = try GlobalPruningComparison(scores: sets, ratio: 0.5)
    let ratios = ExportFixtures.parseCSV(AnalysisCSV.globalRatios(global))
    #expect(ratios.count == 1 + 3 * 2)
    #expect(ratios[1][0] == "a" && Double(ratios[1][4]) == global.results[0].ratios[0])
    let distances = ExportFixtures.parseCSV(AnalysisCSV.globalDistances(global))
    #expect(distances.count == 1 + 9)
  }

  @Test func jsonRoundTripKeepsUndefinedCells() throws {
    let sim = try CriteriaSimilarity(scores: ExportFixtures.toy)
    let data = try AnalysisJSON.encode(sim)
    let text = try #require(String(data: data, encoding: .utf8))
    #expect(text.contains("null"))
    // Sorted keys: "criteria" before "kendallLayerCounts" before "layers".
    let c = try #require(text.range(of: "\"criteria\""))
    let k = try #require(text.range(of: "\"kendallLayerCounts\""))
    let l = try #require(text.range(of: "\"layers\""))
    #expect(c.lowerBound < k.lowerBound && k.lowerBound < l.lowerBound)
    #expect(try AnalysisJSON.decode(CriteriaSimilarity.self, from: data) == sim)
    #expect(throws: AnalysisError.self) {
      try AnalysisJSON.decode(CriteriaSimilarity.self, from: Data("{}".utf8))
    }
  }

  @Test func atomicWriteReplacesTheFileWholly() throws {
    let folder = try ExportFixtures.temporaryFolder()
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let path = folder + "/scores.csv"
    try DurableFile.write("old\r\n", to: path)
    try DurableFile.write("new,content\r\n", to: path)
    #expect(try String(contentsOfFile: path, encoding: .utf8) == "new,content\r\n")
    try DurableFile.write(Array(try AnalysisJSON.encode([1.5, 2.5])), to: folder + "/values.json")
    let back = try AnalysisJSON.decode(
      [Double].self, from: try Data(contentsOf: URL(fileURLWithPath: folder + "/values.json")))
    #expect(back == [1.5, 2.5])
    // No temporary file is left behind.
    #expect(
      try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
        == ["scores.csv", "values.json"])
  }

  @Test func failedWriteLeavesTheTargetUntouched() throws {
    let folder = try ExportFixtures.temporaryFolder()
    defer { try? FileManager.default.removeItem(atPath: folder) }
    // A directory in the way of the target.
    let target = folder + "/result.json"
    try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: false)
    try "keep".write(toFile: target + "/inside.txt", atomically: false, encoding: .utf8)
    #expect(throws: DurableFileError.self) { try DurableFile.write("data", to: target) }
    var isDirectory: ObjCBool = false
    #expect(FileManager.default.fileExists(atPath: target, isDirectory: &isDirectory))
    #expect(isDirectory.boolValue)
    #expect(try String(contentsOfFile: target + "/inside.txt", encoding: .utf8) == "keep")
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["result.json"])
    // A missing folder.
    do {
      try DurableFile.write("data", to: folder + "/missing/out.csv")
      Issue.record("writing into a missing folder succeeded")
    } catch {
      #expect(error.description.contains("missing/out.csv"))
    }
  }
}
