import Foundation
import TestSupport
import Testing

/// `shears lesson` typed at through a pseudo-terminal, its bad inputs, and the lessons of
/// sessions/lessons (checked, run on a subset, recorded, verified and exported as the book).
@Suite("Lessons", .serialized, .timeLimit(.minutes(5)))
struct LessonTests {
  static let prompt = "lesson> "

  /// A three-cell lesson on synthetic data (fast in debug builds).
  static let tiny = """
    # a test lesson
    ## # A tiny lesson
    ## First *data*.
    d = data synthetic classes=4 size=8 count=64
    ## Then a model.
    m = model vgg-small for d width=0.25
    ## And a plan for it.
    p = plan m by l1 ratio=50%
    ## The end.
    """

  static var repository: String {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().path
  }

  /// A folder with `lessons/01-tiny.shears`; HOME (and so the progress file) is the folder.
  private func lessonFolder() throws -> TemporaryFolder {
    let folder = try TemporaryFolder()
    try FileManager.default.createDirectory(
      atPath: folder.path + "/lessons", withIntermediateDirectories: true)
    try folder.write("lessons/01-tiny.shears", Self.tiny)
    return folder
  }

  private func startLesson(_ folder: TemporaryFolder, _ arguments: [String]) throws
    -> PseudoTerminal
  {
    try PseudoTerminal(
      executable: ShearsProcess.executable, arguments: ["lesson"] + arguments,
      environment: ShearsProcess.environment(
        home: folder.path, extra: ["SHEARS_LESSONS": folder.path + "/lessons"]),
      workingDirectory: folder.path)
  }

  private var progressPath: String { "/.local/state/shears/lessons.json" }

  @Test("Enter steps, the prompt works in between, :quit keeps the place and a rerun resumes")
  func stepAndResume() throws {
    let folder = try lessonFolder()
    var terminal = try startLesson(folder, ["1"])
    let first = try terminal.waitFor("next (1/3):  d = data synthetic", timeout: 30)
    #expect(first.contains("A tiny lesson"))
    #expect(first.contains("First *data*."))
    try terminal.waitForPrompt(Self.prompt, timeout: 30)
    try terminal.send(Key.enter)
    try terminal.waitFor("d: Dataset = synthetic: train 64×1×8×8", timeout: 30)
    let second = try terminal.waitFor("next (2/3):  m = model vgg-small", timeout: 30)
    #expect(second.contains("Then a model."))
    try terminal.waitForPrompt(Self.prompt, timeout: 30)
    // The student's own command, with the lesson's bindings, between two steps.
    try terminal.send("x = model vgg-small for d width=0.5" + Key.enter)
    try terminal.waitFor("x: Model = vgg-small", timeout: 30)
    try terminal.waitForPrompt(Self.prompt, timeout: 30)
    try terminal.send(":quit" + Key.enter)
    try terminal.waitFor("shears lesson 1 resumes", timeout: 30)
    #expect(try terminal.waitForExit(timeout: 20) == .exited(0))

    let progress = try #require(
      try JSONSerialization.jsonObject(
        with: Data(contentsOf: URL(fileURLWithPath: folder.path + progressPath)))
        as? [String: Any])
    let place = try #require((progress["lessons"] as? [String: Any])?["01-tiny"] as? [String: Any])
    #expect(place["step"] as? Int == 3)  // narration, the data cell, narration
    #expect(place["steps"] as? Int == 7)
    let journal = try #require(place["journal"] as? String)

    // The list shows the place; a rerun resumes with d and x restored.
    let list = try ShearsProcess.run(
      ["lesson", "--lessons", folder.path + "/lessons"], in: folder.path)
    #expect(list.status == 0)
    #expect(list.output.contains("A tiny lesson"))
    #expect(list.output.contains("at step 3 of 7"))

    terminal = try startLesson(folder, ["1"])
    try terminal.waitFor("resuming lesson 1 at step 3 of 7", timeout: 30)
    try terminal.waitFor("next (2/3):  m = model", timeout: 30)
    try terminal.waitForPrompt(Self.prompt, timeout: 30)
    try terminal.send(":type x" + Key.enter)
    try terminal.waitFor("x : Model", timeout: 30)
    try terminal.waitForPrompt(Self.prompt, timeout: 30)
    try terminal.send(":next" + Key.enter)
    try terminal.waitFor("m: Model = vgg-small", timeout: 30)
    try terminal.waitForPrompt(Self.prompt, timeout: 30)
    try terminal.send(Key.enter)
    try terminal.waitFor("p: Plan = plan for vgg-small", timeout: 30)
    let end = try terminal.waitFor("lesson 1 is done", timeout: 30)
    #expect(end.contains("The end."))
    #expect(try terminal.waitForExit(timeout: 20) == .exited(0))

    // The student's session holds the narration as text cells and their own commands.
    let session = String(
      decoding: try Data(contentsOf: URL(fileURLWithPath: journal)), as: UTF8.self)
    #expect(session.contains("\"status\":\"text\""))
    #expect(session.contains("x = model vgg-small for d width=0.5"))
    #expect(session.contains(":type x"))
    let listed = try ShearsProcess.run(
      ["lesson", "--lessons", folder.path + "/lessons"], in: folder.path)
    #expect(listed.output.contains("done"))
  }

  @Test("shears lesson 99 names the lessons there are; a damaged progress file is moved aside")
  func badInput() throws {
    let folder = try lessonFolder()
    let lessons = ["--lessons", folder.path + "/lessons"]
    let missing = try ShearsProcess.run(["lesson", "99"] + lessons, in: folder.path)
    #expect(missing.status == 1)
    #expect(missing.errors.contains("there is no lesson 99; the lessons are 1"))

    let state = folder.path + "/.local/state/shears"
    try FileManager.default.createDirectory(atPath: state, withIntermediateDirectories: true)
    let damaged = "{\"format\": \"shears-lessons/1\", \"lessons\": {\"01-tiny\": {\"step\": 9"
    try Data(damaged.utf8).write(to: URL(fileURLWithPath: state + "/lessons.json"))
    let listed = try ShearsProcess.run(["lesson"] + lessons, in: folder.path)
    #expect(listed.status == 0)
    #expect(listed.errors.contains("the lesson progress file \(state)/lessons.json is damaged"))
    #expect(listed.errors.contains("moved to \(state)/lessons.json.damaged"))
    // Nothing lost: the damaged bytes are kept as they were, and the list starts afresh.
    let kept = try String(contentsOfFile: state + "/lessons.json.damaged", encoding: .utf8)
    #expect(kept == damaged)
    #expect(listed.output.contains("new"))
    #expect(!FileManager.default.fileExists(atPath: state + "/lessons.json"))

    // A step count beyond the lesson is damage too; a second damaged file does not replace
    // the first one set aside.
    let wrong =
      "{\"format\": \"shears-lessons/1\", \"lessons\": {\"01-tiny\": "
      + "{\"step\": 9, \"steps\": 7, \"script\": \"0\"}}}"
    try Data(wrong.utf8).write(to: URL(fileURLWithPath: state + "/lessons.json"))
    let again = try ShearsProcess.run(["lesson"] + lessons, in: folder.path)
    #expect(again.errors.contains("lesson 01-tiny is at step 9 of 7"))
    #expect(try String(contentsOfFile: state + "/lessons.json.damaged-2", encoding: .utf8) == wrong)
    #expect(try String(contentsOfFile: state + "/lessons.json.damaged", encoding: .utf8) == damaged)
  }

  @Test(
    "every lesson type-checks",
    .enabled(if: FileManager.default.fileExists(atPath: "/usr/share/datasets/fashion-mnist")))
  func lessonsCheck() throws {
    let folder = try TemporaryFolder()
    let names = try FileManager.default.contentsOfDirectory(
      atPath: Self.repository + "/sessions/lessons"
    ).filter { $0.hasSuffix(".shears") }.sorted()
    #expect(names.count == 7)
    for name in names {
      let result = try ShearsProcess.run(
        ["check", Self.repository + "/sessions/lessons/" + name], in: folder.path)
      #expect(result.status == 0, "\(name): \(result.errors)")
    }
  }

  @Test(
    "the lesson book: each lesson runs on a subset, its recording verifies, one page each",
    .enabled(if: FileManager.default.fileExists(atPath: "/usr/share/datasets/fashion-mnist")))
  func book() throws {
    // Two lessons here (the first and a residual one); `.ci/run` builds the whole book, every
    // lesson run, recorded and verified, on 128 images.
    let folder = try TemporaryFolder()
    let lessons = folder.path + "/lessons"
    try FileManager.default.createDirectory(atPath: lessons, withIntermediateDirectories: true)
    for name in ["01-criteria.shears", "03-groups.shears"] {
      try FileManager.default.copyItem(
        atPath: Self.repository + "/sessions/lessons/" + name, toPath: lessons + "/" + name)
    }
    let result = try ShearsProcess.run(
      [
        "export", lessons, "--format", "html", "--limit", "32", "--output", folder.path + "/book",
      ], in: folder.path, timeout: 280)
    #expect(result.status == 0, "\(result.errors)")
    let pages = try FileManager.default.contentsOfDirectory(atPath: folder.path + "/book")
      .filter { $0.hasSuffix(".html") }.sorted()
    #expect(pages == ["01-criteria.html", "03-groups.html", "index.html"])
    let index = try String(contentsOfFile: folder.path + "/book/index.html", encoding: .utf8)
    #expect(index.contains("<a href=\"01-criteria.html\">Lesson 1: what a filter criterion is</a>"))
    #expect(index.contains("<a href=\"runs/03-groups.json\">recording</a>"))
    for page in pages where page != "index.html" {
      #expect(result.output.contains(page.dropLast(5) + ": "), "\(page)")
      let html = try String(contentsOfFile: folder.path + "/book/" + page, encoding: .utf8)
      #expect(html.contains("<div class=\"prose\""), "\(page) has no narration")
      #expect(html.contains("<a href=\"index.html\">all lessons</a>"))
    }
    let first = try String(contentsOfFile: folder.path + "/book/01-criteria.html", encoding: .utf8)
    #expect(first.contains("A <strong>criterion</strong> gives"))
    #expect(first.contains("<svg"))
    // The recordings are kept and verify again from the command line.
    let replay = try ShearsProcess.run(
      ["replay", folder.path + "/book/runs/03-groups.json", "--verify"], in: folder.path,
      timeout: 120)
    #expect(replay.status == 0, "\(replay.errors)")
  }
}
