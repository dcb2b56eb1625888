import Foundation
import TestSupport
import Testing

/// The shell on a pseudo-terminal, typed at like a user.
@Suite("The interactive shell", .serialized, .timeLimit(.minutes(2)))
struct TerminalTests {
  static let prompt = "shears> "
  static let data = "d = data synthetic classes=4 size=8 count=64"
  static let model = "m = model vgg-small for d width=0.25"

  /// Ends the session with Ctrl-D on an empty line and checks the clean exit.
  private func finish(_ terminal: PseudoTerminal) throws {
    try terminal.send(Key.ctrlD)
    #expect(try terminal.waitForExit(timeout: 20) == .exited(0))
  }

  /// Types `line`, waits for `expected` in the output and for the next prompt.
  @discardableResult
  private func enter(_ terminal: PseudoTerminal, _ line: String, expecting expected: String)
    throws -> String
  {
    try terminal.send(line + Key.enter)
    let text = try terminal.waitFor(expected, timeout: 30)
    try terminal.waitForPrompt(Self.prompt, timeout: 30)
    return text
  }

  @Test("a typed command runs and shows its result; Up recalls it; history is saved")
  func typeAndRecall() throws {
    let home = try TemporaryFolder()
    let terminal = try ShearsProcess.startShell(home: home.path)
    try enter(terminal, Self.data, expecting: "d: Dataset = synthetic: train 64×1×8×8")
    try enter(terminal, ":type d", expecting: "d : Dataset")
    try terminal.send(Key.up + Key.up + Key.enter)
    try terminal.waitFor("d: Dataset = synthetic: train 64×1×8×8", timeout: 30)
    try terminal.waitForPrompt(Self.prompt)
    try finish(terminal)
    let history = String(
      decoding: FileManager.default.contents(atPath: home.path + "/history") ?? Data(),
      as: UTF8.self)
    #expect(history.hasPrefix("_HiStOrY_V2_\nd\\040=\\040data\\040synthetic"))
  }

  @Test("Tab completes a command name and a bound variable name")
  func tabCompletion() throws {
    let home = try TemporaryFolder()
    let terminal = try ShearsProcess.startShell(home: home.path)
    try enter(
      terminal, "mymodel = model vgg-small channels=1 size=8 classes=4 width=0.25",
      expecting: "mymodel: Model")
    // libedit reads the keys in order: "sh" Tab → "show", " my" Tab → "show mymodel", Enter.
    // The space typed after the first Tab keeps the test independent of whether libedit
    // appends one itself (see LineEditing's match array: a lone candidate needs the
    // [prefix, candidate, NULL] layout for libedit to append the space reliably).
    try terminal.send("sh" + Key.tab + " my" + Key.tab + Key.enter)
    let shown = try terminal.waitFor("features.5.conv", timeout: 30)
    #expect(shown.contains("features.0.conv"))
    try terminal.waitForPrompt(Self.prompt)
    try finish(terminal)
  }

  @Test("a line with an open bracket continues; a type error is marked under the line")
  func continuationAndCaret() throws {
    let home = try TemporaryFolder()
    let terminal = try ShearsProcess.startShell(home: home.path)
    try terminal.send("x = [l1," + Key.enter)
    try terminal.waitForPrompt("   ...> ")
    try enter(terminal, "fpgm]", expecting: "x: List of Criterion = [l1, fpgm]")
    try enter(
      terminal, "train x on x",
      expecting: "\r\n" + String(repeating: " ", count: 14)
        + "^ train expects a Model here, but x is a List of Criterion")
    try finish(terminal)
  }

  @Test("Ctrl-C stops a running train; the shell and its bindings survive")
  func interruptTraining() throws {
    let home = try TemporaryFolder()
    let terminal = try ShearsProcess.startShell(home: home.path)
    try enter(terminal, Self.data, expecting: "d: Dataset")
    try enter(terminal, Self.model, expecting: "m: Model")
    try terminal.send("m2 = train m on d epochs=1000 batch=16" + Key.enter)
    try terminal.waitFor("epoch 1/1000", timeout: 30)
    try terminal.send(Key.ctrlC)
    let stopped = try terminal.waitFor("interrupted", timeout: 30)
    #expect(stopped.contains("(stopped)"))
    try terminal.waitForPrompt(Self.prompt)
    #expect(terminal.exitStatus == nil)
    try terminal.send(":vars" + Key.enter)
    let table = try terminal.waitFor("vgg-small", timeout: 30)
    try terminal.waitForPrompt(Self.prompt)
    #expect(table.contains("Dataset"))
    #expect(table.contains("Model"))
    #expect(!table.contains("m2"))
    // The shell still runs commands afterwards.
    try enter(terminal, "eval m on d", expecting: "accuracy")
    try finish(terminal)
  }

  @Test("Ctrl-R finds an earlier command; :quit leaves with status 0")
  func reverseSearchAndQuit() throws {
    let home = try TemporaryFolder()
    let terminal = try ShearsProcess.startShell(home: home.path)
    try enter(terminal, ":type [l1, bn]", expecting: "[l1, bn] : List of Criterion")
    try enter(terminal, "# a comment runs nothing", expecting: "")
    try enter(terminal, ":type 50%", expecting: "50% : Number")
    try terminal.send("\u{12}" + "l1,")
    try terminal.waitFor("[l1, bn]")
    try terminal.send(Key.enter)
    try terminal.waitFor("[l1, bn] : List of Criterion", timeout: 30)
    try terminal.waitForPrompt(Self.prompt)
    try terminal.send(":quit" + Key.enter)
    #expect(try terminal.waitForExit(timeout: 20) == .exited(0))
  }

  @Test("Ctrl-C at the prompt drops the typed line; Ctrl-D leaves with status 0")
  func interruptAtPrompt() throws {
    let home = try TemporaryFolder()
    let terminal = try ShearsProcess.startShell(home: home.path)
    try terminal.send("this is not run")
    try terminal.waitFor("not run")
    try terminal.waitUntilReadingKeys()
    try terminal.send(Key.ctrlC)
    try terminal.waitForPrompt(Self.prompt)
    try enter(terminal, ":type 3", expecting: "3 : Number")
    try finish(terminal)
  }
}
