import Foundation
import TestSupport

/// Starting the real `shears` executable, built beside the test bundle (SwiftPM builds it
/// because this test target depends on it), with a clean environment.
enum ShearsProcess {
  /// `<build folder>/shears`, next to the test bundle.
  static var executable: String {
    let bundle =
      (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
      ?? CommandLine.arguments[0]
    return URL(fileURLWithPath: bundle).deletingLastPathComponent()
      .appendingPathComponent("shears").path
  }

  /// A clean environment: its own HOME (no ~/.editrc), history in `home`, a UTF-8 locale.
  static func environment(home: String, extra: [String: String] = [:]) -> [String: String] {
    var environment = [
      "HOME": home, "LANG": "C.UTF-8", "PATH": "/usr/bin:/bin", "TERM": "xterm",
      "SHEARS_HISTORY": home + "/history", "OPENBLAS_NUM_THREADS": "1",
    ]
    environment.merge(extra) { $1 }
    return environment
  }

  /// What a finished run left behind.
  struct Result {
    var status: Int32
    var output: String
    var errors: String
  }

  /// Runs `shears arguments…` in `folder` with `input` on standard input (none: /dev/null),
  /// waiting at most `timeout` seconds.
  static func run(
    _ arguments: [String], input: String? = nil, in folder: String, timeout: Double = 120
  ) throws -> Result {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    process.currentDirectoryURL = URL(fileURLWithPath: folder)
    process.environment = environment(home: folder)
    // Files, not pipes: nothing blocks however much the program writes.
    let outPath = folder + "/.stdout-\(UUID().uuidString)"
    let errPath = folder + "/.stderr-\(UUID().uuidString)"
    FileManager.default.createFile(atPath: outPath, contents: nil)
    FileManager.default.createFile(atPath: errPath, contents: nil)
    defer {
      try? FileManager.default.removeItem(atPath: outPath)
      try? FileManager.default.removeItem(atPath: errPath)
    }
    process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: outPath))
    process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
    let pipe = Pipe()
    process.standardInput = input == nil ? FileHandle.nullDevice : pipe
    try process.run()
    if let input {
      pipe.fileHandleForWriting.write(Data(input.utf8))
      try pipe.fileHandleForWriting.close()
    }
    let deadline = Date().addingTimeInterval(timeout)
    while process.isRunning && Date() < deadline { usleep(20_000) }
    if process.isRunning {
      process.terminate()
      process.waitUntilExit()
    }
    func read(_ path: String) -> String {
      String(decoding: FileManager.default.contents(atPath: path) ?? Data(), as: UTF8.self)
    }
    return Result(status: process.terminationStatus, output: read(outPath), errors: read(errPath))
  }

  /// Starts the shell on a pseudo-terminal in `home` and waits for its first prompt.
  static func startShell(home: String) throws -> PseudoTerminal {
    let terminal = try PseudoTerminal(
      executable: executable, environment: environment(home: home), workingDirectory: home)
    try terminal.waitForPrompt("shears> ", timeout: 30)
    return terminal
  }
}

/// A fresh folder under the system temporary directory, removed when the value is released.
final class TemporaryFolder {
  let path: String

  init() throws {
    let url = FileManager.default.temporaryDirectory
      .appendingPathComponent("shell-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    path = url.path
  }

  /// Writes `text` to `name` in the folder and returns its path.
  @discardableResult
  func write(_ name: String, _ text: String) throws -> String {
    let file = path + "/" + name
    try Data(text.utf8).write(to: URL(fileURLWithPath: file))
    return file
  }

  /// Whether `name` exists in the folder.
  func contains(_ name: String) -> Bool {
    FileManager.default.fileExists(atPath: path + "/" + name)
  }

  deinit {
    try? FileManager.default.removeItem(atPath: path)
  }
}

/// Keys as a terminal sends them.
enum Key {
  static let enter = "\r"
  static let tab = "\t"
  static let up = "\u{1b}[A"
  static let ctrlC = "\u{03}"
  static let ctrlD = "\u{04}"
}
