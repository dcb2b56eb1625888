import Foundation
import Testing

@testable import LineEditing

@Suite("History file")
struct HistoryFileTests {
  private func contents(_ path: String) throws -> String {
    String(decoding: try Data(contentsOf: URL(fileURLWithPath: path)), as: UTF8.self)
  }

  @Test("entries are encoded as libedit writes them")
  func encodingMatchesLibedit() {
    // Expected strings are what libedit 3.1-20221030's own write_history/append_history put in
    // the file for these entries (a C probe linked with -ledit, run on this machine):
    // "a b" -> a\040b, "d\e" -> d\134e, "x<newline>y" -> x\012y, "w<tab>t" -> w\011t.
    #expect(HistoryFile.encode("a b") == "a\\040b")
    #expect(HistoryFile.encode("d\\e") == "d\\134e")
    #expect(HistoryFile.encode("x\ny") == "x\\012y")
    #expect(HistoryFile.encode("w\tt") == "w\\011t")
    // libedit writes UTF-8 bytes as they are under a UTF-8 locale, and reads them back.
    #expect(HistoryFile.encode("héllo") == "héllo")
    #expect(HistoryFile.encode("plain") == "plain")
  }

  @Test("the first append creates the file with the header and mode 0600; later ones append")
  func appendCreatesAndAppends() throws {
    let root = try TemporaryDirectory()
    let path = root.path + "/history"
    let file = HistoryFile(path: path, limit: 10)
    #expect(file.append(["one", "two words"]) == nil)
    #expect(file.append(["three"]) == nil)
    #expect(try contents(path) == "_HiStOrY_V2_\none\ntwo\\040words\nthree\n")
    let attributes = try FileManager.default.attributesOfItem(atPath: path)
    #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
  }

  @Test("an existing empty file gets the header")
  func emptyFileGetsHeader() throws {
    let root = try TemporaryDirectory()
    let path = root.path + "/history"
    try Data().write(to: URL(fileURLWithPath: path))
    #expect(HistoryFile(path: path, limit: 10).append(["x"]) == nil)
    #expect(try contents(path) == "_HiStOrY_V2_\nx\n")
  }

  @Test("the file keeps only the newest `limit` entries")
  func trimsToLimit() throws {
    let root = try TemporaryDirectory()
    let path = root.path + "/history"
    let file = HistoryFile(path: path, limit: 3)
    #expect(file.append(["1", "2"]) == nil)
    #expect(file.append(["3", "4", "5"]) == nil)
    #expect(try contents(path) == "_HiStOrY_V2_\n3\n4\n5\n")
    #expect(file.append(["6"]) == nil)
    #expect(try contents(path) == "_HiStOrY_V2_\n4\n5\n6\n")
    let leftovers = try FileManager.default.contentsOfDirectory(atPath: root.path)
    #expect(leftovers == ["history"])
  }

  @Test("an unwritable location gives a warning naming the file, not a crash")
  func unwritable() throws {
    let root = try TemporaryDirectory()
    let blocker = root.path + "/plain"
    try Data("x".utf8).write(to: URL(fileURLWithPath: blocker))
    let path = blocker + "/history"  // a path below a regular file: ENOTDIR even for root
    let warning = HistoryFile(path: path, limit: 5).append(["x"])
    #expect(
      warning
        == .historyNotSaved(path: path, reason: "a part of the path is a file, not a directory"))
    #expect(warning?.description.contains(path) == true)
  }

  @Test("nothing to append writes nothing")
  func emptyAppend() throws {
    let root = try TemporaryDirectory()
    let path = root.path + "/history"
    #expect(HistoryFile(path: path, limit: 5).append([]) == nil)
    #expect(!FileManager.default.fileExists(atPath: path))
  }
}
