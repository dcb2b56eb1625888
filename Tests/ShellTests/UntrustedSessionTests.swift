import Foundation
import TestSupport
import Testing

/// Sessions and scripts that could hurt: files they would replace, paths outside the
/// replay's scratch folder, input that crashed the shell before.
@Suite("Untrusted sessions through the executable", .serialized)
struct UntrustedSessionTests {
  @Test(":save refuses an existing file, naming it; :save! replaces it")
  func saveRefuses() throws {
    let folder = try TemporaryFolder()
    try folder.write("old.json", "precious")
    try folder.write("save.shears", "x = 1\n:save old.json\n:type x\n")
    let refused = try ShearsProcess.run(["run", "save.shears"], in: folder.path)
    #expect(refused.status == 3)
    #expect(
      refused.errors
        == "error: old.json exists; choose another name or write :save! old.json to replace it "
        + "(nothing was replaced)\n")
    #expect(
      String(
        decoding: FileManager.default.contents(atPath: folder.path + "/old.json")!, as: UTF8.self)
        == "precious")
    try folder.write("force.shears", "x = 1\n:save! old.json\n")
    let forced = try ShearsProcess.run(["run", "force.shears"], in: folder.path)
    #expect(forced.status == 0, "\(forced.errors)")
    #expect(forced.output.contains("saved 1 cell to old.json"))
  }

  @Test("--journal on an existing file says how to continue it, not a missing option")
  func journalExists() throws {
    let folder = try TemporaryFolder()
    try folder.write("j.journal", "anything")
    let result = try ShearsProcess.run(
      ["--journal", "j.journal"], input: "x = 1\n", in: folder.path)
    #expect(result.status != 0)
    #expect(
      result.errors.contains(
        "j.journal exists; choose another name or continue it with --resume j.journal"))
    #expect(!result.errors.contains("--overwrite"))
  }

  @Test("replay writes only inside its scratch folder, and says where")
  func replayConfined() throws {
    let folder = try TemporaryFolder()
    let outside = try TemporaryFolder()
    let victim = outside.path + "/victim.ckpt"
    try folder.write(
      "w.shears",
      """
      d = data synthetic classes=2 size=8 count=16
      m = model vgg-small for d width=0.1
      s = score m by l1
      write s to "out.csv"
      write s to "../escape.csv"
      save m to "\(victim)"
      """)
    let recorded = try ShearsProcess.run(
      ["run", "w.shears", "--record", "w.json", "--quiet"], in: folder.path)
    #expect(recorded.status == 0, "\(recorded.errors)")
    // Remove what the recording wrote, then replay: nothing may come back outside scratch.
    try FileManager.default.removeItem(atPath: folder.path + "/out.csv")
    try FileManager.default.removeItem(atPath: victim)
    try? FileManager.default.removeItem(
      atPath: URL(fileURLWithPath: folder.path).deletingLastPathComponent().path + "/escape.csv")
    let before = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
    let scratch = try TemporaryFolder()
    let replayed = try ShearsProcess.run(
      ["replay", "w.json", "--verify", "--scratch", scratch.path], in: folder.path)
    #expect(replayed.status == 0, "\(replayed.errors)")
    #expect(replayed.errors.contains("note: files the session writes go inside \(scratch.path)"))
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() == before)
    #expect(try FileManager.default.contentsOfDirectory(atPath: outside.path).isEmpty)
    #expect(
      !FileManager.default.fileExists(
        atPath: URL(fileURLWithPath: folder.path).deletingLastPathComponent().path
          + "/escape.csv"))
    #expect(scratch.contains("out.csv"))
    #expect(scratch.contains("__/escape.csv"))
    #expect(FileManager.default.fileExists(atPath: scratch.path + victim))
  }

  @Test("input that crashed the shell: a clear error and status 2 or 3")
  func hostileScripts() throws {
    let folder = try TemporaryFolder()
    try folder.write("deep.shears", String(repeating: "(", count: 5000) + "\n")
    let deep = try ShearsProcess.run(["check", "deep.shears"], in: folder.path)
    #expect(deep.status == 2)
    #expect(deep.errors.hasPrefix("error: '(' is never closed"))
    try folder.write(
      "width.shears",
      "d = data synthetic classes=2 size=8 count=16\nw = 100\nm = model vgg-small for d width=w\n")
    let width = try ShearsProcess.run(["run", "width.shears"], in: folder.path)
    #expect(width.status == 3)
    #expect(width.errors == "width.shears:3: error: model: width must be in [0.01, 8], got 100\n")
    try folder.write("inf.shears", "x = 1e400\n")
    let infinite = try ShearsProcess.run(["run", "inf.shears"], in: folder.path)
    #expect(infinite.status == 2)
    #expect(infinite.errors.hasPrefix("error: the number 1e400 is too large to represent"))
  }

  @Test("the shell keeps only the newest 50 automatic journals, with their blobs")
  func oldJournalsPruned() throws {
    let home = try TemporaryFolder()
    let folder = home.path + "/.local/state/shears/sessions"
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    for day in 10...69 {  // 60 old sessions, each with a blob folder, and one foreign file
      let base = folder + "/session-202601\(day < 32 ? String(day) : "01")-\(day)0000-1"
      try Data("{}\n".utf8).write(to: URL(fileURLWithPath: base + ".journal"))
      try FileManager.default.createDirectory(
        atPath: base + ".blobs", withIntermediateDirectories: true)
    }
    try Data("mine".utf8).write(to: URL(fileURLWithPath: folder + "/notes.txt"))
    let oldest = try FileManager.default.contentsOfDirectory(atPath: folder)
      .filter { $0.hasSuffix(".journal") }.sorted()
    let terminal = try ShearsProcess.startShell(home: home.path)
    defer { terminal.terminate() }
    try terminal.send(":type 3" + Key.enter)
    try terminal.waitFor("3 : Number", timeout: 30)
    try terminal.waitForPrompt("shears> ", timeout: 30)
    try terminal.send(Key.ctrlD)
    #expect(try terminal.waitForExit(timeout: 20) == .exited(0))
    let names = try FileManager.default.contentsOfDirectory(atPath: folder)
    let journals = names.filter { $0.hasSuffix(".journal") }.sorted()
    #expect(journals.count == 50)
    #expect(!journals.contains(oldest[0]))  // the oldest went, with its blobs
    #expect(!names.contains(String(oldest[0].dropLast(".journal".count)) + ".blobs"))
    #expect(journals.contains(oldest[oldest.count - 1]))
    #expect(names.contains("notes.txt"))
  }
}
