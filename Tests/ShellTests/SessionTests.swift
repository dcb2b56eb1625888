import Foundation
import TestSupport
import Testing

/// Sessions through the real executable: `run --record`, `replay [--verify]`, `export`,
/// `--resume`, `:save` and `:load`, and what bad session files do.
@Suite("Sessions: record, replay, verify, export, resume", .serialized)
struct SessionTests {
  /// Six cells on tiny synthetic data; cell 4 is the evaluation.
  static let script = """
    d = data synthetic classes=4 size=8 count=64
    m = model vgg-small for d width=0.25
    m = train m on d epochs=1 lr=0.05 batch=16
    eval m on d
    s = score m by l1
    plot s
    """

  /// Records ``script`` as `s.json` in `folder`.
  private func record(in folder: TemporaryFolder) throws {
    try folder.write("s.shears", Self.script)
    let result = try ShearsProcess.run(
      ["run", "s.shears", "--record", "s.json", "--quiet"], in: folder.path)
    #expect(result.status == 0, "\(result.errors)")
    #expect(result.errors == "")
  }

  private func text(_ folder: TemporaryFolder, _ name: String) -> String {
    String(
      decoding: FileManager.default.contents(atPath: folder.path + "/" + name) ?? Data(),
      as: UTF8.self)
  }

  /// Rewrites `s.json` with `edit` applied to its JSON object.
  private func edit(_ folder: TemporaryFolder, _ edit: (inout [String: Any]) throws -> Void)
    throws
  {
    let path = folder.path + "/s.json"
    let data = try #require(FileManager.default.contents(atPath: path))
    var object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    try edit(&object)
    try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
      .write(to: URL(fileURLWithPath: path))
  }

  @Test("run --record writes a session that replay --verify accepts, and never overwrites it")
  func recordAndVerify() throws {
    let folder = try TemporaryFolder()
    try record(in: folder)
    #expect(folder.contains("s.json"))
    #expect(folder.contains("s.blobs"))
    #expect(!folder.contains("s.journal"))  // the journal is gone once the session is written
    let session = text(folder, "s.json")
    #expect(session.contains("\"format\" : \"shears-session/3\""))
    #expect(session.contains("\"seed\" : 1"))

    let verified = try ShearsProcess.run(["replay", "s.json", "--verify"], in: folder.path)
    #expect(verified.status == 0, "\(verified.errors)")
    #expect(verified.output.contains("cell 3 matches (ok, 8 figures): m = train m on d"))
    #expect(
      verified.output.hasSuffix(
        "s.json: verified 6 cells: every figure and binding matches (bit-identical)\n"))

    let replayed = try ShearsProcess.run(["replay", "s.json"], in: folder.path)
    #expect(replayed.status == 0, "\(replayed.errors)")
    #expect(replayed.output.contains("vgg-small on the test split"))

    let before = text(folder, "s.json")
    let again = try ShearsProcess.run(
      ["run", "s.shears", "--record", "s.json", "--quiet"], in: folder.path)
    #expect(again.status == 1)
    #expect(again.errors.contains("s.json exists"))
    #expect(text(folder, "s.json") == before)
  }

  @Test("a session from before the numerics version was kept: replay says why it may differ")
  func earlierNumericsVersion() throws {
    let folder = try TemporaryFolder()
    try record(in: folder)
    #expect(text(folder, "s.json").contains("\"numerics\" : \"numerics-"))
    try edit(folder) { object in
      var environment = try #require(object["environment"] as? [String: Any])
      environment["numerics"] = nil
      object["environment"] = environment
    }
    let result = try ShearsProcess.run(["replay", "s.json", "--verify"], in: folder.path)
    // The note comes first and names the missing version; the hand edit itself breaks the
    // record chain, which the replay then reports at cell 1 (status 4).
    #expect(result.status == 4, "\(result.errors)")
    #expect(result.errors.contains("cell 1 diverges"))
    #expect(
      result.errors.contains(
        "note: recorded by a build whose engine computes differently (numerics: none recorded vs "
          + "numerics-"))
  }

  @Test("a hand-edited accuracy fails --verify with status 4, naming the cell and the figure")
  func editedAccuracy() throws {
    let folder = try TemporaryFolder()
    try record(in: folder)
    try edit(folder) { object in
      var cells = try #require(object["cells"] as? [[String: Any]])
      var figures = try #require(cells[3]["figures"] as? [[String: Any]])
      let index = try #require(figures.firstIndex { $0["name"] as? String == "accuracy" })
      figures[index]["float"] = 0.123
      cells[3]["figures"] = figures
      object["cells"] = cells
    }
    let result = try ShearsProcess.run(["replay", "s.json", "--verify"], in: folder.path)
    #expect(result.status == 4)
    #expect(
      result.errors.contains(
        "cell 4 diverges: eval m on d\n  figure accuracy: recorded 0.123, replayed "))
    #expect(result.errors.contains("replay stopped at cell 4; 3 cells before it matched"))
    #expect(!result.output.contains("cell 5"))  // it stopped there
    // A tolerance does not hide a change that large.
    let tolerant = try ShearsProcess.run(
      ["replay", "s.json", "--verify", "--tolerance", "1e-6"], in: folder.path)
    #expect(tolerant.status == 4)
  }

  @Test("bad session files: a clear error, status 5, and nothing written")
  func badInput() throws {
    let folder = try TemporaryFolder()
    try record(in: folder)
    let intact = text(folder, "s.json")
    let blobs = try FileManager.default.contentsOfDirectory(atPath: folder.path + "/s.blobs")
    #expect(blobs.count == 4)  // d, m (untrained), m (trained), s

    // Truncated.
    try folder.write("cut.json", String(intact.prefix(intact.count / 3)))
    let cut = try ShearsProcess.run(["replay", "cut.json", "--verify"], in: folder.path)
    #expect(cut.status == 5)
    #expect(cut.errors.contains("error: the session file cut.json ends early"))
    let cutExport = try ShearsProcess.run(
      ["export", "cut.json", "--format", "md"], in: folder.path)
    #expect(cutExport.status == 5)
    #expect(!folder.contains("cut.md"))

    // Unknown future format.
    try folder.write(
      "future.json", intact.replacingOccurrences(of: "shears-session/3", with: "shears-session/4"))
    let future = try ShearsProcess.run(["replay", "future.json"], in: folder.path)
    #expect(future.status == 5)
    #expect(
      future.errors.contains(
        "future.json was written by a newer Shears (format 4); this build reads formats up to 3"))
    let resumed = try ShearsProcess.run(
      ["--resume", "future.json"], input: ":vars\n", in: folder.path)
    #expect(resumed.status == 5)
    #expect(resumed.output == "")

    // A blob changed by one byte.
    let blob = folder.path + "/s.blobs/" + blobs.sorted()[0]
    let original = try #require(FileManager.default.contents(atPath: blob))
    var changed = original
    changed[changed.count / 2] ^= 0x20
    try changed.write(to: URL(fileURLWithPath: blob))
    let tampered = try ShearsProcess.run(["replay", "s.json", "--verify"], in: folder.path)
    #expect(tampered.status == 5)
    #expect(tampered.errors.contains("error: the blob \(blobs.sorted()[0]) of '"))
    #expect(tampered.errors.contains("was changed"))
    #expect(tampered.output == "")  // nothing ran

    // A missing blob.
    try FileManager.default.removeItem(atPath: blob)
    let missing = try ShearsProcess.run(
      ["--resume", "s.json"], input: ":vars\n", in: folder.path)
    #expect(missing.status == 5)
    #expect(missing.errors.contains("error: the blob \(blobs.sorted()[0]) of '"))
    #expect(missing.errors.contains("is missing from s.blobs"))
    #expect(text(folder, "s.json") == intact)
  }

  @Test("export writes Markdown with SVG files and a self-contained HTML page")
  func export() throws {
    let folder = try TemporaryFolder()
    try record(in: folder)
    let markdown = try ShearsProcess.run(["export", "s.json", "--format", "md"], in: folder.path)
    #expect(markdown.status == 0, "\(markdown.errors)")
    #expect(markdown.output == "wrote s.md\n")
    let md = text(folder, "s.md")
    #expect(md.contains("```shears\nm = train m on d epochs=1 lr=0.05 batch=16\n```"))
    #expect(md.contains("](s.export/cell-6-1.svg)"))
    #expect(text(folder, "s.export/cell-6-1.svg").contains("<svg"))
    #expect(md.contains("| accuracy |"))

    let html = try ShearsProcess.run(["export", "s.json", "--format", "html"], in: folder.path)
    #expect(html.status == 0, "\(html.errors)")
    let page = text(folder, "s.html")
    #expect(page.contains("<pre class=\"input\"><code>eval m on d</code></pre>"))
    #expect(page.contains("<svg"))
    #expect(page.contains("<th>figure</th>"))

    let again = try ShearsProcess.run(["export", "s.json", "--format", "html"], in: folder.path)
    #expect(again.status == 1)
    #expect(again.errors.contains("s.html exists"))
    #expect(text(folder, "s.html") == page)
  }

  @Test("--resume and :load restore the bindings without rerunning anything; :save writes")
  func resumeLoadSave() throws {
    let folder = try TemporaryFolder()
    try record(in: folder)
    let resumed = try ShearsProcess.run(
      ["--resume", "s.json"], input: ":vars\neval m on d\n", in: folder.path)
    #expect(resumed.status == 0, "\(resumed.errors)")
    #expect(resumed.output.contains("│ m    │ Model   │    3 │"))
    #expect(resumed.output.contains("│ s    │ Scores  │    5 │"))
    #expect(!resumed.output.contains("epoch"))  // the train cell was not run again
    // The restored model evaluates to the accuracy the replay computes.
    let recorded = try ShearsProcess.run(["replay", "s.json"], in: folder.path)
    let line = try #require(
      recorded.output.split(separator: "\n").first { $0.contains("accuracy") })
    #expect(resumed.output.contains(String(line)))

    let loaded = try ShearsProcess.run(
      [], input: ":load s.json\n:vars\nn = 4\n:save more.json\n", in: folder.path)
    #expect(loaded.status == 0, "\(loaded.errors)")
    #expect(loaded.output.contains("loaded 6 cells from s.json; bound d, m, s"))
    #expect(loaded.output.contains("│ m    │ Model   │    3 │"))
    #expect(loaded.output.contains("saved 8 cells to more.json (values in more.blobs)"))
    let more = try ShearsProcess.run(["replay", "more.json", "--verify"], in: folder.path)
    #expect(more.status == 0, "\(more.errors)")
    #expect(more.output.contains("cell 8 matches (ok, 1 figure): n = 4"))
    let from = try ShearsProcess.run(
      ["replay", "more.json", "--verify", "--from", "4"], in: folder.path)
    #expect(from.status == 0, "\(from.errors)")
    #expect(!from.output.contains("cell 3"))
    #expect(from.output.contains("verified 5 cells"))  // 4 to 8: :vars is a cell too
  }

  @Test("a script's :save writes the session so far; a failed :save stops the run")
  func saveInScript() throws {
    let folder = try TemporaryFolder()
    try folder.write(
      "save.shears",
      "d = data synthetic classes=4 size=8 count=64\n:save \"part one.json\"\n:type d\n")
    let result = try ShearsProcess.run(["run", "save.shears"], in: folder.path)
    #expect(result.status == 0, "\(result.errors)")
    #expect(result.output.contains("saved 1 cell to part one.json (values in part one.blobs)\n"))
    #expect(folder.contains("part one.json"))
    let replayed = try ShearsProcess.run(
      ["replay", "part one.json", "--verify"], in: folder.path)
    #expect(replayed.status == 0, "\(replayed.errors)")
    try folder.write("nosave.shears", ":type 1\n:save no/such/folder/x.json\n:type 2\n")
    let failed = try ShearsProcess.run(["run", "nosave.shears"], in: folder.path)
    #expect(failed.status == 3)
    #expect(failed.errors.hasPrefix("error: cannot write no/such/folder/x.json"))
    #expect(!failed.output.contains("2 : Number"))
  }

  @Test("a shell killed in the middle of train keeps every finished cell in its journal")
  func killMidCommand() throws {
    let home = try TemporaryFolder()
    let terminal = try PseudoTerminal(
      executable: ShearsProcess.executable, arguments: ["--journal", "k.journal"],
      environment: ShearsProcess.environment(home: home.path), workingDirectory: home.path)
    defer { terminal.terminate() }
    try terminal.waitForPrompt("shears> ", timeout: 30)
    try terminal.send("d = data synthetic classes=4 size=8 count=64" + Key.enter)
    try terminal.waitFor("d: Dataset", timeout: 30)
    try terminal.waitForPrompt("shears> ", timeout: 30)
    try terminal.send("m = model vgg-small for d width=0.25" + Key.enter)
    try terminal.waitFor("m: Model", timeout: 30)
    try terminal.waitForPrompt("shears> ", timeout: 30)
    try terminal.send("m2 = train m on d epochs=1000 batch=16" + Key.enter)
    try terminal.waitFor("epoch 1/1000", timeout: 30)
    kill(terminal.processID, SIGKILL)
    #expect(try terminal.waitForExit(timeout: 20) == .signaled(SIGKILL))

    // Header and two cells, each a whole line.
    let journal = String(
      decoding: FileManager.default.contents(atPath: home.path + "/k.journal") ?? Data(),
      as: UTF8.self)
    let lines = journal.split(separator: "\n")
    #expect(lines.count == 3)
    #expect(journal.hasSuffix("\n"))
    #expect(lines.last?.contains("\"input\":\"m = model vgg-small for d width=0.25\"") == true)

    let resumed = try ShearsProcess.run(
      ["--resume", "k.journal", "--no-journal"], input: ":vars\n", in: home.path)
    #expect(resumed.status == 0, "\(resumed.errors)")
    #expect(resumed.output.contains("│ d    │ Dataset │    1 │"))
    #expect(resumed.output.contains("│ m    │ Model   │    2 │"))
    #expect(!resumed.output.contains("m2"))
    let verified = try ShearsProcess.run(["replay", "k.journal", "--verify"], in: home.path)
    #expect(verified.status == 0, "\(verified.errors)")
    #expect(verified.output.contains("verified 2 cells"))
  }

  @Test("the shell journals to the sessions folder by default and :save writes a session")
  func defaultJournalAndSave() throws {
    let home = try TemporaryFolder()
    let terminal = try ShearsProcess.startShell(home: home.path)
    defer { terminal.terminate() }
    try terminal.send(":type 3" + Key.enter)
    try terminal.waitFor("3 : Number", timeout: 30)
    try terminal.waitForPrompt("shears> ", timeout: 30)
    try terminal.send(":save lesson.json" + Key.enter)
    try terminal.waitFor("saved 1 cell to lesson.json", timeout: 30)
    try terminal.waitForPrompt("shears> ", timeout: 30)
    try terminal.send(Key.ctrlD)
    #expect(try terminal.waitForExit(timeout: 20) == .exited(0))
    let output = terminal.output
    let folder = home.path + "/.local/state/shears/sessions/"
    #expect(output.contains("journal: " + folder + "session-"))
    let journals = try FileManager.default.contentsOfDirectory(atPath: folder)
      .filter { $0.hasSuffix(".journal") }
    #expect(journals.count == 1)
    #expect(home.contains("lesson.json"))
    let replayed = try ShearsProcess.run(["replay", "lesson.json", "--verify"], in: home.path)
    #expect(replayed.status == 0, "\(replayed.errors)")
  }

  /// sessions/quickstart.shears, whole: data, training, scores, similarity of eleven criteria,
  /// CWDA, groups, a balanced plan, surgery, fine-tuning and the comparison.
  static func quickstart() throws -> String {
    let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent("sessions/quickstart.shears").path
    return try String(contentsOfFile: path, encoding: .utf8)
  }

  @Test(
    "the quickstart recorded on a subset replays bit-identical three times in a row",
    .enabled(if: FileManager.default.fileExists(atPath: "/usr/share/datasets/fashion-mnist")))
  func quickstartVerifiedThrice() throws {
    let folder = try TemporaryFolder()
    try folder.write("quickstart.shears", try Self.quickstart())
    let recorded = try ShearsProcess.run(
      ["run", "quickstart.shears", "--limit", "128", "--record", "quickstart.json", "--quiet"],
      in: folder.path, timeout: 300)
    #expect(recorded.status == 0, "\(recorded.errors)")
    for round in 1...3 {
      let replay = try ShearsProcess.run(
        ["replay", "quickstart.json", "--verify"], in: folder.path, timeout: 300)
      #expect(replay.status == 0, "round \(round): \(replay.errors)")
      #expect(replay.output.contains("every figure and binding matches (bit-identical)"))
      #expect(replay.output.contains("matches (ok, 4 figures): eval m on d"))
      #expect(replay.output.contains(": compare m m2 on d"))
    }
    // The same session with its accuracy changed by hand fails, naming the eval cell.
    try edit(folder: folder, file: "quickstart.json")
    let edited = try ShearsProcess.run(
      ["replay", "quickstart.json", "--verify"], in: folder.path, timeout: 300)
    #expect(edited.status == 4)
    #expect(
      edited.errors.contains(": eval m on d\n  figure accuracy: recorded 0.123456, replayed "))
  }

  /// Sets the accuracy of the first `eval m on d` cell of `file` to 0.123456.
  private func edit(folder: TemporaryFolder, file: String) throws {
    let path = folder.path + "/" + file
    let data = try #require(FileManager.default.contents(atPath: path))
    var object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    var cells = try #require(object["cells"] as? [[String: Any]])
    let cell = try #require(cells.firstIndex { $0["input"] as? String == "eval m on d" })
    var figures = try #require(cells[cell]["figures"] as? [[String: Any]])
    let index = try #require(figures.firstIndex { $0["name"] as? String == "accuracy" })
    figures[index]["float"] = 0.123456
    cells[cell]["figures"] = figures
    object["cells"] = cells
    try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
      .write(to: URL(fileURLWithPath: path))
  }
}
