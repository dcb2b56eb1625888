import Foundation
import Testing

@testable import LineEditing

@Suite("History location")
struct HistoryLocationTests {
  @Test("SHEARS_HISTORY wins over XDG_STATE_HOME and HOME")
  func explicitPathWins() {
    let path = HistoryLocation.resolve(environment: [
      "SHEARS_HISTORY": "/tmp/h/custom", "XDG_STATE_HOME": "/x/state", "HOME": "/home/ada",
    ])
    #expect(path == "/tmp/h/custom")
  }

  @Test("XDG_STATE_HOME comes before HOME")
  func xdgStateHome() {
    let path = HistoryLocation.resolve(environment: [
      "XDG_STATE_HOME": "/x/state", "HOME": "/home/ada",
    ])
    #expect(path == "/x/state/shears/history")
  }

  @Test("HOME gives ~/.local/state/shears/history")
  func homeFallback() {
    #expect(
      HistoryLocation.resolve(environment: ["HOME": "/home/ada"])
        == "/home/ada/.local/state/shears/history")
  }

  @Test("empty SHEARS_HISTORY and relative or empty XDG_STATE_HOME are ignored")
  func ignoredValues() {
    #expect(
      HistoryLocation.resolve(environment: [
        "SHEARS_HISTORY": "", "XDG_STATE_HOME": "relative/state", "HOME": "/home/ada",
      ]) == "/home/ada/.local/state/shears/history")
    #expect(
      HistoryLocation.resolve(environment: ["XDG_STATE_HOME": "", "HOME": "/home/bob/"])
        == "/home/bob/.local/state/shears/history")
  }

  @Test("trailing slashes are not doubled")
  func trailingSlashes() {
    #expect(
      HistoryLocation.resolve(environment: ["XDG_STATE_HOME": "/x/state//"])
        == "/x/state/shears/history")
  }

  @Test("no location without any of the variables")
  func nothingSet() {
    #expect(HistoryLocation.resolve(environment: [:]) == nil)
    #expect(HistoryLocation.resolve(environment: ["HOME": "", "XDG_STATE_HOME": "rel"]) == nil)
  }

  @Test("prepareDirectory creates missing folders with mode 0700")
  func createsFolders() throws {
    let root = try TemporaryDirectory()
    let file = root.path + "/a/b/history"
    #expect(HistoryLocation.prepareDirectory(forFile: file) == nil)
    let attributes = try FileManager.default.attributesOfItem(atPath: root.path + "/a/b")
    #expect(attributes[.type] as? FileAttributeType == .typeDirectory)
    #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o700)
    // Existing folders are fine.
    #expect(HistoryLocation.prepareDirectory(forFile: file) == nil)
    #expect(HistoryLocation.prepareDirectory(forFile: "bare-name") == nil)
  }

  @Test("a regular file in the way gives a warning naming the folder")
  func fileInTheWay() throws {
    let root = try TemporaryDirectory()
    let blocker = root.path + "/plain"
    try Data("x".utf8).write(to: URL(fileURLWithPath: blocker))
    let warning = HistoryLocation.prepareDirectory(forFile: blocker + "/sub/history")
    #expect(
      warning
        == .historyDirectoryNotCreated(path: blocker + "/sub", reason: "\(blocker) is not a folder")
    )
    #expect(warning?.description.contains("SHEARS_HISTORY") == true)
  }
}
