import Foundation
import TestSupport
import Testing

@Suite("Pseudo-terminal driver", .timeLimit(.minutes(1)))
struct PseudoTerminalTests {
  @Test("the program sees a terminal, TERM=xterm, a 24×80 window and only the given variables")
  func terminalSetup() throws {
    let script =
      "test -t 0 && test -t 1 && echo tty-yes; echo \"term=$TERM\"; stty size;"
      + " echo \"home=${HOME-unset} x=$X\"; exit 3"
    let terminal = try PseudoTerminal(
      executable: "/bin/sh", arguments: ["-c", script], environment: ["X": "42"])
    try terminal.waitFor("tty-yes")
    try terminal.waitFor("term=xterm")
    try terminal.waitFor("24 80")
    try terminal.waitFor("home=unset x=42")
    #expect(try terminal.waitForExit() == .exited(3))
  }

  @Test("keys reach the program; waitFor consumes output match by match")
  func sendAndConsume() throws {
    let terminal = try PseudoTerminal(
      executable: "/bin/sh", arguments: ["-c", "read a; echo got-$a; read b; echo got-$b"],
      rows: 10, columns: 40)
    try terminal.send("one\r")
    try terminal.waitFor("got-one")
    try terminal.send("two\r")
    let text = try terminal.waitFor("got-")  // the next occurrence, not the first
    #expect(text.contains("two"))
    try terminal.waitFor("two")
    #expect(try terminal.waitForExit() == .exited(0))
    #expect(terminal.output.contains("got-one"))
  }

  @Test("working directory, a signal exit, a timeout and a missing program are reported")
  func failures() throws {
    let folder = try TemporaryDirectory()
    let inFolder = try PseudoTerminal(
      executable: "/bin/sh", arguments: ["-c", "pwd; kill -9 $$"], workingDirectory: folder.path)
    try inFolder.waitFor(URL(fileURLWithPath: folder.path).lastPathComponent)
    #expect(try inFolder.waitForExit() == .signaled(9))

    let silent = try PseudoTerminal(executable: "/bin/sh", arguments: ["-c", "sleep 5"])
    #expect(throws: PseudoTerminalError.self) { try silent.waitFor("never", timeout: 0.2) }
    silent.terminate()
    #expect(silent.exitStatus == .signaled(SIGKILL))

    #expect(throws: PseudoTerminalError.self) {
      _ = try PseudoTerminal(executable: "/nonexistent/program")
    }
  }
}
