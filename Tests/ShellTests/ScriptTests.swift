import Foundation
import Testing

/// `shears run`, `shears check` and piped standard input, through the real executable.
@Suite("Scripts and exit statuses", .serialized)
struct ScriptTests {
  static let data = "d = data synthetic classes=4 size=8 count=64"
  static let dataLine =
    "d: Dataset = synthetic: train 64×1×8×8, test 16×1×8×8, 4 classes, normalised"

  @Test("shears run runs a script in order and exits 0")
  func runScript() throws {
    let folder = try TemporaryFolder()
    try folder.write(
      "ok.shears",
      """
      # a comment line
      \(Self.data)
      m = model vgg-small for d width=0.25   # channels 8 … 32
      :type m
      """)
    let result = try ShearsProcess.run(["run", "ok.shears"], in: folder.path)
    #expect(result.status == 0, "\(result.errors)")
    #expect(
      result.output
        == Self.dataLine + "\n"
        + "m: Model = vgg-small 1×8×8 → 4 classes: 6 conv, 18,284 params, 152.2 K MACs\n"
        + "m : Model\n")
    #expect(result.errors == "")
  }

  @Test("## narration: --echo prints it between the cells; without --echo nothing changes")
  func narration() throws {
    let folder = try TemporaryFolder()
    try folder.write(
      "n.shears",
      """
      ## # Data
      ## Some *images*.
      \(Self.data)
      ## Done.
      """)
    let echoed = try ShearsProcess.run(["run", "n.shears", "--echo"], in: folder.path)
    #expect(echoed.status == 0, "\(echoed.errors)")
    #expect(
      echoed.output
        == "\n  # Data\n  Some *images*.\n\nshears> \(Self.data)\n\(Self.dataLine)\n\n  Done.\n\n")
    let plain = try ShearsProcess.run(["run", "n.shears"], in: folder.path)
    #expect(plain.output == Self.dataLine + "\n")
  }

  @Test("usage errors exit 1")
  func usage() throws {
    let folder = try TemporaryFolder()
    let missingArgument = try ShearsProcess.run(["run"], in: folder.path)
    #expect(missingArgument.status == 1)
    #expect(missingArgument.errors.contains("Missing expected argument '<file>'"))
    let missingFile = try ShearsProcess.run(["run", "nowhere.shears"], in: folder.path)
    #expect(missingFile.status == 1)
    #expect(missingFile.errors == "error: cannot read the script nowhere.shears: no such file\n")
    let unknownOption = try ShearsProcess.run(["--frobnicate"], in: folder.path)
    #expect(unknownOption.status == 1)
    let help = try ShearsProcess.run(["--help"], in: folder.path)
    #expect(help.status == 0)
    #expect(help.output.contains("run"))
  }

  @Test("a type error exits 2 with the caret under it, and nothing runs")
  func typeError() throws {
    let folder = try TemporaryFolder()
    try folder.write("bad.shears", "\(Self.data)\nm = train d on d\n")
    let result = try ShearsProcess.run(["run", "bad.shears"], in: folder.path)
    #expect(result.status == 2)
    #expect(result.output == "")
    #expect(
      result.errors
        == """
        error: train expects a Model here, but d is a Dataset
         --> bad.shears:2:11
          |
        2 | m = train d on d
          |           ^
        bad.shears: 1 error; nothing was run

        """)
  }

  @Test("a runtime error exits 3 after the commands before it ran")
  func runtimeError() throws {
    let folder = try TemporaryFolder()
    try folder.write(
      "broken.shears", "\(Self.data)\nm = load \"missing.ckpt\"\neval m on d\n")
    let result = try ShearsProcess.run(["run", "broken.shears"], in: folder.path)
    #expect(result.status == 3)
    #expect(result.output == Self.dataLine + "\n")
    #expect(result.errors.hasPrefix("broken.shears:2: error: load: checkpoint missing.ckpt"))
  }

  @Test("piped standard input is checked whole first, like run, then runs entry by entry")
  func pipedInput() throws {
    let folder = try TemporaryFolder()
    let ok = try ShearsProcess.run([], input: "\(Self.data)\n\n:vars\n", in: folder.path)
    #expect(ok.status == 0, "\(ok.errors)")
    #expect(ok.output.hasPrefix(Self.dataLine + "\n"))
    #expect(ok.output.contains("│ d    │ Dataset │    1 │"))
    #expect(!ok.output.contains("shears>"))  // no prompt on a pipe

    let stopped = try ShearsProcess.run(
      [], input: "\(Self.data)\nx = [l1,\n  fpgm]\ntrain x on d\n:vars\n", in: folder.path)
    #expect(stopped.status == 2)
    #expect(stopped.output == "")  // the error on line 4 is found before line 1 runs
    #expect(stopped.errors.contains("<stdin>: 1 error; nothing was run"))
    #expect(stopped.errors.contains(" --> <stdin>:4:7\n"))
    #expect(stopped.errors.contains("4 | train x on d\n"))
  }

  @Test("--echo shows each command before its output; --quiet shows nothing but errors")
  func echoAndQuiet() throws {
    let folder = try TemporaryFolder()
    try folder.write("s.shears", "\(Self.data)\nc = [l1,\n  bn]\n")
    let echoed = try ShearsProcess.run(["run", "s.shears", "--echo"], in: folder.path)
    #expect(echoed.status == 0)
    #expect(
      echoed.output
        == "shears> \(Self.data)\n\(Self.dataLine)\nshears> c = [l1,\n   ...>   bn]\n"
        + "c: List of Criterion = [l1, bn]\n")
    let quiet = try ShearsProcess.run(["run", "s.shears", "--quiet"], in: folder.path)
    #expect(quiet.status == 0)
    #expect(quiet.output == "")
    #expect(quiet.errors == "")
  }

  @Test("shears check refuses a type error on line 3 without running lines 1 and 2")
  func checkRunsNothing() throws {
    let folder = try TemporaryFolder()
    try folder.write(
      "c.shears",
      """
      m = model vgg-small channels=1 size=8 classes=4 width=0.25
      save m to "out.ckpt"
      m2 = train m on m
      """)
    let checked = try ShearsProcess.run(["check", "c.shears"], in: folder.path)
    #expect(checked.status == 2)
    #expect(checked.output == "")
    #expect(checked.errors.contains(" --> c.shears:3:17\n"))
    #expect(checked.errors.contains("error: train expects a Dataset after 'on', but m is a Model"))
    #expect(!folder.contains("out.ckpt"))
    // run checks the whole file first too.
    let ran = try ShearsProcess.run(["run", "c.shears"], in: folder.path)
    #expect(ran.status == 2)
    #expect(!folder.contains("out.ckpt"))

    try folder.write("fine.shears", "\(Self.data)\nm = model vgg-small for d\nshow m\n")
    let fine = try ShearsProcess.run(["check", "fine.shears"], in: folder.path)
    #expect(fine.status == 0)
    #expect(fine.output == "fine.shears: 3 statements, no errors\n")
  }

  @Test("save writes a checkpoint that load reads back")
  func saveAndLoad() throws {
    let folder = try TemporaryFolder()
    try folder.write(
      "s.shears",
      """
      m = model vgg-small channels=1 size=8 classes=4 width=0.25
      save m to "m.ckpt"
      m2 = load "m.ckpt"
      """)
    let result = try ShearsProcess.run(["run", "s.shears"], in: folder.path)
    #expect(result.status == 0, "\(result.errors)")
    #expect(folder.contains("m.ckpt"))
    #expect(result.output.contains("saved vgg-small (18,284 params) to m.ckpt\n"))
  }

  @Test(
    "the quickstart runs end to end on a Fashion-MNIST subset",
    .enabled(if: FileManager.default.fileExists(atPath: "/usr/share/datasets/fashion-mnist")))
  func quickstart() throws {
    let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent("sessions/quickstart.shears").path
    let folder = try TemporaryFolder()
    let result = try ShearsProcess.run(
      ["run", script, "--limit", "256", "--quiet"], in: folder.path, timeout: 300)
    #expect(result.status == 0, "\(result.errors)")
    // The data-limit warning first; on a 256-image subset the balanced plan may also say how far
    // its last cut step overshoots the target. Nothing else may reach standard error.
    let lines = result.errors.split(separator: "\n").map(String.init)
    #expect(
      lines.first == "warning: the run's data limit keeps at most 256 train and 256 test images")
    #expect(
      lines.dropFirst().allSatisfy { $0.hasPrefix("warning: the plan removes") },
      "\(result.errors)")
  }
}

extension ScriptTests {
  @Test(
    "every script in sessions/ type-checks (scripts/recipe-vs-torch runs one of them)",
    .enabled(if: FileManager.default.fileExists(atPath: "/usr/share/datasets/fashion-mnist")))
  func sessionsCheck() throws {
    let sessions = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent("sessions").path
    let names = try FileManager.default.contentsOfDirectory(atPath: sessions)
      .filter { $0.hasSuffix(".shears") }.sorted()
    #expect(names.contains("train-vgg-small-onecycle.shears"))
    let folder = try TemporaryFolder()
    for name in names {
      let result = try ShearsProcess.run(["check", sessions + "/" + name], in: folder.path)
      #expect(result.status == 0, "\(name): \(result.errors)")
    }
  }
}
