import CommandRuntime
import Foundation
import Notebook
import Testing

/// Sessions from someone else: every edit to what was recorded is named by `replay --verify`,
/// and fields that make no sense are refused when the file is read.
@Suite("Tampered sessions")
struct TamperTests {
  /// The standard fixture saved in `folder`, edited by `edit`, then replayed with verify.
  private func verifyEdited(
    resealed: Bool = false, _ edit: (inout [[String: Any]]) throws -> Void
  ) throws -> Divergence? {
    let folder = try TemporaryFolder()
    let path = try Fixtures.savedSession(in: folder)
    var object = try Fixtures.json(path)
    var cells = try #require(object["cells"] as? [[String: Any]])
    try edit(&cells)
    object["cells"] = cells
    try Fixtures.writeJSON(object, to: path)
    var loaded = try SessionFile.load(path)
    if resealed { SessionChain.seal(&loaded.session) }
    let runtime = try Runtime(
      options: loaded.session.header.options.runtimeOptions, output: CollectingSink())
    return try Replayer(session: loaded.session, blobs: loaded.blobs)
      .run(on: runtime, verify: true).divergence
  }

  @Test("an untouched session verifies, and its chain is whole")
  func untouched() throws {
    #expect(try verifyEdited { _ in } == nil)
    #expect(SessionChain.firstBreak(in: try Fixtures.record().session) == nil)
  }

  @Test("an edited rendered text fails, naming the line, even with the chain recomputed")
  func editedRenderedText() throws {
    let found = try verifyEdited(resealed: true) { cells in
      let text = cells[3]["renderedText"] as? String ?? ""
      cells[3]["renderedText"] = text.replacingOccurrences(of: "accuracy", with: "acccuracy")
    }
    let divergence = try #require(found)
    #expect(divergence.cell == 4)
    #expect(divergence.subject == "rendered text")
    #expect(divergence.recorded.hasPrefix("line "))
    #expect(divergence.recorded.contains("acccuracy"))
    #expect(divergence.replayed.contains("accuracy"))
  }

  /// Puts "99.00%" in the eval cell's table (and, when `consistently`, in its rendered text).
  private func forgeAccuracy(consistently: Bool) throws -> Divergence? {
    try verifyEdited(resealed: true) { cells in
      var outputs = cells[3]["outputs"] as? [[String: Any]] ?? []
      guard let index = outputs.firstIndex(where: { $0["table"] != nil }),
        var table = outputs[index]["table"] as? [String: Any],
        var rows = table["rows"] as? [[String]],
        let row = rows.firstIndex(where: { $0[0] == "accuracy" })
      else {
        Issue.record("no accuracy row in the eval cell")
        return
      }
      let shown = rows[row][rows[row].count - 1]
      rows[row][rows[row].count - 1] = "99.00%"
      table["rows"] = rows
      outputs[index]["table"] = table
      cells[3]["outputs"] = outputs
      if consistently {
        let text = cells[3]["renderedText"] as? String ?? ""
        cells[3]["renderedText"] = text.replacingOccurrences(of: shown, with: "99.00%")
      }
    }
  }

  @Test("a forged table fails: alone, its rendered text disagrees; with it, the replay does")
  func editedTable() throws {
    let alone = try #require(try forgeAccuracy(consistently: false))
    #expect(alone.cell == 4)
    #expect(alone.subject == "rendered text")
    let found = try forgeAccuracy(consistently: true)
    let divergence = try #require(found)
    #expect(divergence.cell == 4)
    #expect(divergence.subject == "shown output 1")
    #expect(divergence.recorded.contains("accuracy | 99.00%"))
    #expect(!divergence.replayed.contains("99.00%"))
  }

  @Test("an edit replay cannot see (elapsed time) breaks the chain at that cell")
  func editedElapsed() throws {
    let found = try verifyEdited { cells in cells[1]["elapsed"] = 99.5 }
    let divergence = try #require(found)
    #expect(divergence.cell == 2)
    #expect(divergence.subject == "record")
  }

  @Test("a deleted cell breaks the chain at the cell after it")
  func deletedCell() throws {
    let folder = try TemporaryFolder()
    let path = try Fixtures.savedSession(in: folder)
    var session = try SessionFile.load(path).session
    session.cells.remove(at: 2)
    let broken = try #require(SessionChain.firstBreak(in: session))
    #expect(broken.cell == 4)
  }

  @Test("a changed header (the seed) breaks the chain at cell 1")
  func editedHeader() throws {
    var session = try Fixtures.record().session
    session.header.options.seed += 1
    let broken = try #require(SessionChain.firstBreak(in: session))
    #expect(broken.cell == 1)
    #expect(broken.description.hasPrefix("the header or cell 1 was changed after it was recorded"))
  }

  @Test("a bound type that is no type, an empty name or a blob path is refused on reading")
  func invalidFields() throws {
    let cases: [(String, (inout [String: Any]) -> Void, String)] = [
      ("type", { $0["type"] = "Nope" }, "cells[0].bound[0].type: 'Nope' is not a type"),
      ("name", { $0["name"] = "" }, "cells[0].bound[0].name: '' is not a variable name"),
      (
        "blob", { $0["blob"] = "../../etc/passwd" },
        "cells[0].bound[0].blob: a blob name is 16 hex digits"
      ),
      ("hash", { $0["hash"] = "zz" }, "cells[0].bound[0].hash: a hash is 16 hex digits"),
    ]
    for (field, edit, expected) in cases {
      let folder = try TemporaryFolder()
      let path = try Fixtures.savedSession(in: folder)
      var object = try Fixtures.json(path)
      var cells = try #require(object["cells"] as? [[String: Any]])
      var bound = try #require(cells[0]["bound"] as? [[String: Any]])
      edit(&bound[0])
      cells[0]["bound"] = bound
      object["cells"] = cells
      try Fixtures.writeJSON(object, to: path)
      do {
        _ = try SessionFile.load(path)
        Issue.record("\(field): the edited session was accepted")
      } catch let error as NotebookError {
        guard case .invalidSession(_, let detail) = error else {
          Issue.record("\(field): \(error)")
          continue
        }
        #expect(detail.hasPrefix(expected), "\(field): \(detail)")
      }
    }
  }

  @Test("header fields that would crash the engine are refused: threads 0, width -5")
  func invalidHeader() throws {
    for (key, value, expected) in [
      ("threads", 0, "threads is from 1 to 1024, not 0"),
      ("width", -5, "the width is from 20 to 1000 columns, not -5"),
      ("dataLimit", 0, "the data limit is at least 1, not 0"),
    ] {
      let folder = try TemporaryFolder()
      let path = try Fixtures.savedSession(in: folder)
      var object = try Fixtures.json(path)
      var options = try #require(object["options"] as? [String: Any])
      options[key] = value
      object["options"] = options
      try Fixtures.writeJSON(object, to: path)
      #expect(throws: NotebookError.self) { try SessionFile.load(path) }
      do {
        _ = try SessionFile.load(path)
      } catch {
        #expect("\(error)".contains(expected), "\(error)")
      }
    }
  }

  @Test("measured speeds in a text may differ between runs; any other number may not")
  func timingsMasked() {
    let style = RuntimeOptions().recordStyle  // plain, 80 columns
    func cell(_ text: String) -> SessionCell {
      SessionCell(number: 1, input: "compare m m2 on d", renderedText: text, outputs: [.text(text)])
    }
    let recorded = cell("accuracy 10.16% → 12.50%, speed ×0.91 (measured), 1234 img/s, 2.5 ms")
    let sameButTiming = "accuracy 10.16% → 12.50%, speed ×1.34 (measured), 987 img/s, 3.1 ms"
    #expect(
      Divergence.firstShown(recorded: recorded, replayed: [.text(sameButTiming)], style: style)
        == nil)
    let forged = "accuracy 10.16% → 99.50%, speed ×0.91 (measured), 1234 img/s, 2.5 ms"
    let divergence = Divergence.firstShown(
      recorded: recorded, replayed: [.text(forged)], style: style)
    #expect(divergence?.subject == "shown output 1")
  }
}
